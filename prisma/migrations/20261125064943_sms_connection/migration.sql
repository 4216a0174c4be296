-- CreateTable
CREATE TABLE "SmsConnection" (
    "projectId" TEXT NOT NULL,
    "accountSid" TEXT NOT NULL,
    "phoneNumber" TEXT NOT NULL,
    "connectedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "connectedByUserId" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SmsConnection_pkey" PRIMARY KEY ("projectId")
);

-- CreateIndex
CREATE INDEX "SmsConnection_phoneNumber_idx" ON "SmsConnection"("phoneNumber");
