import { badRequest } from "../../domain/errors.ts";
import { ulid } from "../../util/ids.ts";
import { created, type ApiHandler, type ApiServices } from "../handler-types.ts";
import { parseMultipart } from "../multipart.ts";

export function attachmentHandlers({ sunshine, saveAttachment }: ApiServices): Record<string, ApiHandler> {
  return {
    UploadAttachment: ({ app, query, body, request, baseUrl }) => {
      // `access` is required and only `public` is supported (spec UploadAttachment).
      if (query.access !== "public") throw badRequest("access must be public");
      if (typeof query.conversationId === "string") sunshine.getConversation(app, query.conversationId);
      if (!Buffer.isBuffer(body)) throw badRequest("The upload must be multipart/form-data");
      let parts;
      try {
        parts = parseMultipart(body, String(request.headers["content-type"] ?? ""));
      } catch (error) {
        throw badRequest(error instanceof Error ? error.message : "Invalid multipart body");
      }
      const source = parts.find((p) => p.name === "source");
      if (!source) throw badRequest("The form field source is required");
      const id = ulid();
      const fileName = (source.fileName || "file").replace(/[/\\]/g, "_");
      const mediaType = source.contentType ?? "application/octet-stream";
      saveAttachment({
        id,
        appId: app.id,
        fileName,
        mediaType,
        size: source.data.length,
        ...(typeof query.conversationId === "string" ? { conversationId: query.conversationId } : {}),
        base64: source.data.toString("base64"),
      });
      return created({ attachment: { mediaUrl: `${baseUrl}/sc/attachments/v2/${id}/${encodeURIComponent(fileName)}`, mediaType } });
    },
  };
}
