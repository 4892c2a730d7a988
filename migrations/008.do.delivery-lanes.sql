-- Each subscription's queue of pending deliveries in event order, with each one's due time beside
-- it: the dispatcher reads only the head of each lane (the first due delivery) from this index,
-- so its cost per delivery does not grow with the backlog.
CREATE INDEX deliveries_pending_by_lane ON deliveries (subscription_seq, id, next_attempt_at) WHERE status = 'pending';
