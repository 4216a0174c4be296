-- DropIndex
DROP INDEX "InboxEvent_routingKey_status_receivedAt_idx";

-- CreateIndex
CREATE INDEX "InboxEvent_routingKey_status_occurredAt_receivedAt_idx" ON "InboxEvent"("routingKey", "status", "occurredAt", "receivedAt");
