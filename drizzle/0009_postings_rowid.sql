PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_ledger_postings` (
	`id` integer PRIMARY KEY NOT NULL,
	`entry_id` integer NOT NULL,
	`owner` text NOT NULL,
	`asset` text NOT NULL,
	`purpose` text NOT NULL,
	`amount` integer NOT NULL
);
--> statement-breakpoint
INSERT INTO `__new_ledger_postings`("id", "entry_id", "owner", "asset", "purpose", "amount") SELECT "id", "entry_id", "owner", "asset", "purpose", "amount" FROM `ledger_postings`;--> statement-breakpoint
DROP TABLE `ledger_postings`;--> statement-breakpoint
ALTER TABLE `__new_ledger_postings` RENAME TO `ledger_postings`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `ledger_postings_entry_idx` ON `ledger_postings` (`entry_id`);--> statement-breakpoint
CREATE INDEX `ledger_postings_owner_idx` ON `ledger_postings` (`owner`,`entry_id`);--> statement-breakpoint
DELETE FROM `sqlite_sequence` WHERE `name` = 'ledger_postings';
