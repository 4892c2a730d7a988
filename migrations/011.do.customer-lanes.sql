-- Webhook deliveries go out in event order per customer, each (subscription, customer) a lane of
-- its own: a delivery carries its event's customer so that the dispatcher can read the head of
-- each subscription's queue with the customer beside each id, from one index, without the events.
ALTER TABLE deliveries ADD COLUMN customer_id TEXT;
ALTER TABLE snapshot_deliveries ADD COLUMN customer_id TEXT;
UPDATE deliveries SET customer_id = (SELECT e.customer_id FROM events e WHERE e.id = deliveries.event_id);
UPDATE snapshot_deliveries SET customer_id = (
  SELECT e.customer_id FROM snapshot_events e
  WHERE e.snapshot_id = snapshot_deliveries.snapshot_id AND e.id = snapshot_deliveries.event_id);

DROP INDEX deliveries_pending_by_lane;
-- Each subscription's pending deliveries in event order, with each one's due time and customer:
-- the dispatcher reads the first due ones of a subscription from this index alone, so its cost per
-- delivery does not grow with the backlog.
CREATE INDEX deliveries_pending_by_subscription ON deliveries (subscription_seq, id, next_attempt_at, customer_id) WHERE status = 'pending';
