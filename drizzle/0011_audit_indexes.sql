CREATE INDEX `audit_events_actor_idx` ON `audit_events` (`actor`,`id`);--> statement-breakpoint
CREATE INDEX `audit_events_target_idx` ON `audit_events` (`target`,`id`) WHERE "audit_events"."target" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `audit_events_ts_idx` ON `audit_events` (`ts`);