DROP INDEX `orders_user_idx`;--> statement-breakpoint
DROP INDEX `orders_open_idx`;--> statement-breakpoint
CREATE INDEX `orders_user_idx` ON `orders` (`user_id`,`ts_created`);--> statement-breakpoint
CREATE INDEX `orders_open_idx` ON `orders` (`user_id`,`ts_created`) WHERE status IN ('new', 'partially_filled');