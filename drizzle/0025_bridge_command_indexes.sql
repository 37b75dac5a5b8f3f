CREATE INDEX `bridge_commands_status_expiry_idx` ON `bridge_commands` (`status`,`expires_at`);--> statement-breakpoint
CREATE INDEX `bridge_commands_client_idx` ON `bridge_commands` (`account_id`,json_extract(`command`, '$.clientOrderId'));
