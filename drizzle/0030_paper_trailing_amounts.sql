ALTER TABLE `paper_orders` ADD `trail_amount` text;--> statement-breakpoint
ALTER TABLE `paper_orders` ADD `stop_loss_trail_amount` text;--> statement-breakpoint
ALTER TABLE `paper_positions` ADD `trail_amount` text;