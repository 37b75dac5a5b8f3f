ALTER TABLE `paper_fills` ADD `multiplier` text;--> statement-breakpoint
-- Fills made before the column existed: the instrument's multiplier now (it cannot change while a position or order on it is open).
UPDATE `paper_fills` SET `multiplier` = (SELECT `multiplier` FROM `paper_instruments` WHERE `paper_instruments`.`symbol` = `paper_fills`.`symbol`) WHERE `multiplier` IS NULL;
