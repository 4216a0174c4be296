-- AlterTable
ALTER TABLE "Project" ADD COLUMN     "closingMessage" TEXT,
ADD COLUMN     "idleTimeoutMinutes" INTEGER,
ADD COLUMN     "waitNoticeAfterSeconds" INTEGER,
ADD COLUMN     "waitNoticeMessage" TEXT;

-- CreateTable
CREATE TABLE "Topic" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "phrases" TEXT[],
    "answer" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Topic_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TopicAction" (
    "id" TEXT NOT NULL,
    "topicId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "action" TEXT NOT NULL,
    "utterance" TEXT NOT NULL,
    "options" JSONB NOT NULL,

    CONSTRAINT "TopicAction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Conversation" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "channelKey" TEXT,
    "visitorTokenHash" TEXT,
    "nextSeq" INTEGER NOT NULL DEFAULT 1,
    "optedOut" BOOLEAN NOT NULL DEFAULT false,
    "lastActivityAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Conversation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChatMessage" (
    "id" TEXT NOT NULL,
    "conversationId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "role" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "authorName" TEXT,
    "mediaUrl" TEXT,
    "sentAt" TIMESTAMP(3) NOT NULL,
    "clientMessageId" TEXT,
    "externalId" TEXT,
    "handoffSessionId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ChatMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HandoffSession" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "conversationId" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "sessionTag" TEXT NOT NULL,
    "routing" JSONB NOT NULL,
    "zendeskUserId" TEXT,
    "zendeskConversationId" TEXT,
    "firstMessageId" TEXT,
    "ticketId" TEXT,
    "agentName" TEXT,
    "lastAgentMessageAt" TIMESTAMP(3),
    "endReason" TEXT,
    "waitNoticeSentAt" TIMESTAMP(3),
    "lastActivityAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "HandoffSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HandoffTransition" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "fromState" TEXT NOT NULL,
    "toState" TEXT NOT NULL,
    "cause" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "HandoffTransition_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InboxEvent" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "eventType" TEXT NOT NULL,
    "routingKey" TEXT,
    "verification" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "outcome" TEXT,
    "payload" JSONB,
    "occurredAt" TIMESTAMP(3),
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ackLatencyMs" INTEGER,
    "processedAt" TIMESTAMP(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,

    CONSTRAINT "InboxEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OutboxMessage" (
    "id" TEXT NOT NULL,
    "position" BIGSERIAL NOT NULL,
    "projectId" TEXT NOT NULL,
    "orderingKey" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "resultRef" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "doneAt" TIMESTAMP(3),

    CONSTRAINT "OutboxMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiCall" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "sessionId" TEXT,
    "target" TEXT NOT NULL,
    "operation" TEXT NOT NULL,
    "status" INTEGER,
    "attempt" INTEGER NOT NULL,
    "latencyMs" INTEGER NOT NULL,
    "errorCode" TEXT,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ApiCall_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Topic_projectId_idx" ON "Topic"("projectId");

-- CreateIndex
CREATE UNIQUE INDEX "TopicAction_topicId_position_key" ON "TopicAction"("topicId", "position");

-- CreateIndex
CREATE INDEX "Conversation_projectId_createdAt_idx" ON "Conversation"("projectId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Conversation_projectId_channel_channelKey_key" ON "Conversation"("projectId", "channel", "channelKey");

-- CreateIndex
CREATE UNIQUE INDEX "ChatMessage_conversationId_seq_key" ON "ChatMessage"("conversationId", "seq");

-- CreateIndex
CREATE UNIQUE INDEX "ChatMessage_conversationId_clientMessageId_key" ON "ChatMessage"("conversationId", "clientMessageId");

-- CreateIndex
CREATE UNIQUE INDEX "ChatMessage_conversationId_externalId_key" ON "ChatMessage"("conversationId", "externalId");

-- CreateIndex
CREATE UNIQUE INDEX "HandoffSession_sessionTag_key" ON "HandoffSession"("sessionTag");

-- CreateIndex
CREATE UNIQUE INDEX "HandoffSession_zendeskConversationId_key" ON "HandoffSession"("zendeskConversationId");

-- CreateIndex
CREATE INDEX "HandoffSession_conversationId_state_idx" ON "HandoffSession"("conversationId", "state");

-- CreateIndex
CREATE INDEX "HandoffSession_state_lastActivityAt_idx" ON "HandoffSession"("state", "lastActivityAt");

-- CreateIndex
CREATE INDEX "HandoffSession_projectId_createdAt_idx" ON "HandoffSession"("projectId", "createdAt");

-- CreateIndex
CREATE INDEX "HandoffTransition_sessionId_at_idx" ON "HandoffTransition"("sessionId", "at");

-- CreateIndex
CREATE INDEX "InboxEvent_routingKey_status_receivedAt_idx" ON "InboxEvent"("routingKey", "status", "receivedAt");

-- CreateIndex
CREATE INDEX "InboxEvent_status_receivedAt_idx" ON "InboxEvent"("status", "receivedAt");

-- CreateIndex
CREATE INDEX "InboxEvent_projectId_receivedAt_idx" ON "InboxEvent"("projectId", "receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "InboxEvent_projectId_source_eventId_key" ON "InboxEvent"("projectId", "source", "eventId");

-- CreateIndex
CREATE INDEX "OutboxMessage_orderingKey_status_position_idx" ON "OutboxMessage"("orderingKey", "status", "position");

-- CreateIndex
CREATE INDEX "OutboxMessage_status_nextAttemptAt_idx" ON "OutboxMessage"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "OutboxMessage_projectId_createdAt_idx" ON "OutboxMessage"("projectId", "createdAt");

-- CreateIndex
CREATE INDEX "ApiCall_projectId_at_idx" ON "ApiCall"("projectId", "at");

-- AddForeignKey
ALTER TABLE "Topic" ADD CONSTRAINT "Topic_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TopicAction" ADD CONSTRAINT "TopicAction_topicId_fkey" FOREIGN KEY ("topicId") REFERENCES "Topic"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HandoffTransition" ADD CONSTRAINT "HandoffTransition_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "HandoffSession"("id") ON DELETE CASCADE ON UPDATE CASCADE;
