CREATE TABLE `order_lists` (
	`id` integer PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`symbol` text NOT NULL,
	`list_client_id` text,
	`limit_order_id` integer NOT NULL,
	`stop_order_id` integer NOT NULL,
	`status` text NOT NULL,
	`ts_created` integer NOT NULL,
	`ts_updated` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `order_lists_user_idx` ON `order_lists` (`user_id`,`id`);--> statement-breakpoint
CREATE INDEX `order_lists_client_idx` ON `order_lists` (`user_id`,`list_client_id`);--> statement-breakpoint
CREATE INDEX `order_lists_limit_idx` ON `order_lists` (`limit_order_id`);--> statement-breakpoint
CREATE INDEX `order_lists_stop_idx` ON `order_lists` (`stop_order_id`);--> statement-breakpoint
CREATE INDEX `order_lists_status_idx` ON `order_lists` (`status`);