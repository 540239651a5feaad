package io.keyfed.ledger.service;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.UnknownFieldSet;

/**
 * Canonical protobuf input: the bytes a client signed or hashed must be the one encoding of one message
 * (as Cosmos ADR 027 requires). Two checks together:
 * <ul>
 * <li>no unknown fields at any depth ({@link #requireNoUnknownFields}); protobuf-java keeps unknown fields and
 * writes them back when it re-encodes, so the byte comparison alone would let them through;</li>
 * <li>re-encoding the parsed message gives the received bytes ({@link #requireCanonical}): this refuses a field
 * written twice (the last one wins when parsing), two members of a oneof, fields out of order and default values
 * written out.</li>
 * </ul>
 * Each failure is an INVALID_ARGUMENT that names the problem.
 */
public final class CanonicalProto {
    private CanonicalProto() {
    }

    /** Refuses unknown fields in {@code m} and in every message nested in it. */
    public static void requireNoUnknownFields(Message m, String name) {
        if (!m.getUnknownFields().asMap().isEmpty()) {
            throw LedgerException.invalid(name + " has unknown fields " + m.getUnknownFields().asMap().keySet());
        }
        for (Map.Entry<FieldDescriptor, Object> f : m.getAllFields().entrySet()) {
            if (f.getKey().getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
                continue;
            }
            String inner = name + "." + f.getKey().getName();
            if (f.getKey().isRepeated()) {
                for (Object o : (List<?>) f.getValue()) {
                    requireNoUnknownFields((Message) o, inner);
                }
            } else {
                requireNoUnknownFields((Message) f.getValue(), inner);
            }
        }
    }

    /**
     * Refuses {@code received} unless it is exactly the encoding of {@code parsed} (which was parsed from it) and
     * carries no unknown fields.
     */
    public static void requireCanonical(Message parsed, ByteString received, String name) {
        requireNoUnknownFields(parsed, name);
        if (parsed.toByteString().equals(received)) {
            return;
        }
        throw LedgerException.invalid(name + " is not in canonical protobuf encoding: " + why(parsed.getDescriptorForType(),
                received) + "; encode exactly one message, each field once, in field-number order, defaults left out");
    }

    /** The first problem found at the top level of {@code bytes}, for the error message. */
    private static String why(Descriptor type, ByteString bytes) {
        UnknownFieldSet fields;
        try {
            fields = UnknownFieldSet.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            return "it does not parse as fields";
        }
        List<String> oneofMembers = new ArrayList<>();
        for (Map.Entry<Integer, UnknownFieldSet.Field> e : fields.asMap().entrySet()) {
            FieldDescriptor fd = type.findFieldByNumber(e.getKey());
            UnknownFieldSet.Field f = e.getValue();
            int count = f.getVarintList().size() + f.getFixed32List().size() + f.getFixed64List().size()
                    + f.getLengthDelimitedList().size() + f.getGroupList().size();
            if (fd != null && !fd.isRepeated() && count > 1) {
                return "field " + fd.getName() + " (" + e.getKey() + ") is written " + count + " times";
            }
            if (fd != null && fd.getRealContainingOneof() != null) {
                oneofMembers.add(fd.getName());
            }
        }
        if (oneofMembers.size() > 1) {
            return "it carries more than one message " + Arrays.toString(oneofMembers.toArray());
        }
        return "fields out of order, a default value written out, or a nested message not canonical";
    }
}
