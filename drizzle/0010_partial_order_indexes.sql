DROP INDEX `orders_client_idx`;--> statement-breakpoint
DROP INDEX `orders_open_idx`;--> statement-breakpoint
CREATE INDEX `orders_client_idx` ON `orders` (`user_id`,`client_order_id`) WHERE client_order_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX `orders_open_idx` ON `orders` (`user_id`,`id`) WHERE status IN ('new', 'partially_filled');