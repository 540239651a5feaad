-- W3C trace context (traceparent) of the ledger's commit span of the transaction that created the request:
-- the watch stream continues the request's trace from it, also when it replays the request to a connector
-- that reconnects. Empty for requests created before tracing was added.
alter table key_requests add column traceparent varchar(64) not null default '';
