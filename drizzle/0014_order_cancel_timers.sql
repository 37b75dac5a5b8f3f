CREATE TABLE `order_cancel_timers` (
	`user_id` text PRIMARY KEY NOT NULL,
	`trigger_at` integer NOT NULL
);
