-- CreateIndex
CREATE INDEX "ApiCall_sessionId_at_idx" ON "ApiCall"("sessionId", "at");

-- CreateIndex
CREATE INDEX "ChatMessage_handoffSessionId_role_idx" ON "ChatMessage"("handoffSessionId", "role");
