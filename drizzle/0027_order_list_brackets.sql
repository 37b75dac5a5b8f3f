ALTER TABLE `order_lists` ADD `bracket` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Exit plans placed before this version (list client ids brk-<plan>-oco, brk-<plan>-r…-oco)
-- protect a position: they become brackets, as the plans now place them.
UPDATE `order_lists` SET `bracket` = 1 WHERE `status` = 'executing' AND `list_client_id` GLOB 'brk-[0-9]*-oco';
