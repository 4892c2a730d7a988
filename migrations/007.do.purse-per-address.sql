-- A purse is an address: one row per customer and address, serving every currency of its chain
-- family. Rows that 006 kept per currency fold into the oldest row of their address, which keeps
-- its id; transactions and events are re-pointed to it. The events' `data` and the deliveries'
-- bodies keep the purse ids they were sent with.
--
-- The folded purse is DECLINED if any of its rows was, else PENDING_PAYMENT if any row was still
-- active, else ARCHIVED; it expires at the latest expiry among the rows of that status, so no
-- active address loses time it was promised.
ALTER TABLE purses ADD COLUMN currencies TEXT NOT NULL DEFAULT '[]';  -- JSON array, in first-use order

CREATE TEMP TABLE purse_groups AS
SELECT customer_id,
       address,
       min(seq) AS kept_seq,
       CASE
         WHEN sum(status = 'DECLINED') > 0 THEN 'DECLINED'
         WHEN sum(status = 'PENDING_PAYMENT') > 0 THEN 'PENDING_PAYMENT'
         ELSE 'ARCHIVED'
       END AS status,
       min(created_at) AS created_at,
       max(last_deposit_at) AS last_deposit_at,
       NULL AS expires_at,
       NULL AS currencies
FROM purses
GROUP BY customer_id, address;

UPDATE purse_groups SET
  expires_at = (SELECT max(p.expires_at) FROM purses p
                WHERE p.customer_id = purse_groups.customer_id AND p.address = purse_groups.address AND p.status = purse_groups.status),
  currencies = (SELECT json_group_array(currency ORDER BY first_seq) FROM (
                  SELECT p.currency, min(p.seq) AS first_seq FROM purses p
                  WHERE p.customer_id = purse_groups.customer_id AND p.address = purse_groups.address
                  GROUP BY p.currency));

CREATE TEMP TABLE purse_ids AS
SELECT p.id AS old_id, k.id AS kept_id
FROM purses p
JOIN purse_groups g ON g.customer_id = p.customer_id AND g.address = p.address
JOIN purses k ON k.seq = g.kept_seq
WHERE p.id <> k.id;

UPDATE transactions SET purse_id = (SELECT kept_id FROM purse_ids WHERE old_id = transactions.purse_id)
WHERE purse_id IN (SELECT old_id FROM purse_ids);
UPDATE events SET purse_id = (SELECT kept_id FROM purse_ids WHERE old_id = events.purse_id)
WHERE purse_id IN (SELECT old_id FROM purse_ids);
DELETE FROM purses WHERE id IN (SELECT old_id FROM purse_ids);

UPDATE purses SET
  status = g.status,
  created_at = g.created_at,
  last_deposit_at = g.last_deposit_at,
  expires_at = g.expires_at,
  currencies = g.currencies
FROM purse_groups g
WHERE purses.seq = g.kept_seq;

DROP TABLE purse_ids;
DROP TABLE purse_groups;

DROP INDEX purses_one_active;
DROP INDEX purses_by_address;
ALTER TABLE purses DROP COLUMN currency;

-- One active address per customer and chain family; an address belongs to one purse, never reused.
CREATE UNIQUE INDEX purses_one_active_address ON purses (customer_id, network) WHERE status = 'PENDING_PAYMENT';
CREATE UNIQUE INDEX purses_address ON purses (address);
