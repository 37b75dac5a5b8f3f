ALTER TABLE `paper_orders` ADD `trail_bps` integer;--> statement-breakpoint
ALTER TABLE `paper_orders` ADD `trail_active` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `paper_orders` ADD `stop_loss_trail_bps` integer;--> statement-breakpoint
ALTER TABLE `paper_positions` ADD `trail_bps` integer;