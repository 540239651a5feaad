package io.keyfed.ledger.mapping;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;

import io.keyfed.ledger.service.Inputs;

/**
 * The REST JSON conventions: snake_case proto field names, every field present (defaults included),
 * bytes as lowercase hex, enums by their full proto name, integers as JSON numbers, strings (amounts
 * are decimal strings in the protos) as strings.
 */
public final class ProtoJson {
    private ProtoJson() {
    }

    public static Map<String, Object> toMap(Message m) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (FieldDescriptor f : m.getDescriptorForType().getFields()) {
            if (f.getRealContainingOneof() != null && !m.hasField(f)) {
                continue;
            }
            if (f.isRepeated()) {
                List<Object> list = new ArrayList<>();
                int n = m.getRepeatedFieldCount(f);
                for (int i = 0; i < n; i++) {
                    list.add(value(f, m.getRepeatedField(f, i)));
                }
                out.put(f.getName(), list);
            } else if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !m.hasField(f)) {
                out.put(f.getName(), null);
            } else {
                out.put(f.getName(), value(f, m.getField(f)));
            }
        }
        return out;
    }

    public static List<Map<String, Object>> toList(List<? extends Message> ms) {
        return ms.stream().map(ProtoJson::toMap).toList();
    }

    private static Object value(FieldDescriptor f, Object v) {
        return switch (f.getJavaType()) {
            case BYTE_STRING -> Inputs.hex(((ByteString) v).toByteArray());
            case ENUM -> ((EnumValueDescriptor) v).getName();
            case MESSAGE -> toMap((Message) v);
            case LONG -> f.getType() == FieldDescriptor.Type.UINT64 || f.getType() == FieldDescriptor.Type.FIXED64
                    ? new java.math.BigInteger(Long.toUnsignedString((Long) v)) : v;
            case INT -> f.getType() == FieldDescriptor.Type.UINT32 || f.getType() == FieldDescriptor.Type.FIXED32
                    ? Integer.toUnsignedLong((Integer) v) : v;
            default -> v;
        };
    }
}
