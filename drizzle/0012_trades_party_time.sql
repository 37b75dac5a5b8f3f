DROP INDEX `trades_buyer_idx`;--> statement-breakpoint
DROP INDEX `trades_seller_idx`;--> statement-breakpoint
CREATE INDEX `trades_buyer_idx` ON `trades` (`buyer_id`,`ts`);--> statement-breakpoint
CREATE INDEX `trades_seller_idx` ON `trades` (`seller_id`,`ts`);