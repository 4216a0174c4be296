import type { FastifyInstance, FastifyRequest } from "fastify";
import { parseMultipart, type FormPart } from "../api/multipart.ts";
import { done, formOf, page, preparePageScope } from "../console/console-plugin.ts";
import { restrictToLoopback } from "../control/loopback-guard.ts";
import { SandboxHttpError, badRequest } from "../domain/errors.ts";
import type { SandboxCore } from "../sandbox-core.ts";
import { DEFAULT_HANDSET } from "../state/model.ts";
import type { LogFn } from "../util/log.ts";
import { phonePage } from "./phone-page.ts";
import type { SmsMediaUpload, SmsNumberInput, SmsNumberPatch, SmsSendInput, SmsSetupInput } from "./sms-service.ts";
import { TWILIO_API_VERSION, isE164 } from "./twilio-format.ts";
import { twilioApiPlugin } from "./twilio-api-plugin.ts";

export interface SmsPluginOptions {
  core: SandboxCore;
  allowRemote: boolean;
  log: LogFn;
}

/** A phone form may carry a photo; 5 MB is Twilio's incoming MMS limit, plus room for the form. */
const PHONE_FORM_LIMIT_BYTES = 6 * 1024 * 1024;

/**
 * The SMS area: the Twilio-compatible REST API (`/2010-04-01`), its control routes
 * (`/_sandbox/sms`, loopback only) and the phone simulator page (`/phone`).
 */
export async function smsPlugin(server: FastifyInstance, { core, allowRemote, log }: SmsPluginOptions): Promise<void> {
  const sms = core.sms;
  await server.register(twilioApiPlugin, { prefix: `/${TWILIO_API_VERSION}`, sms, faults: core.faults, log });

  await server.register(
    async (control) => {
      restrictToLoopback(control, allowRemote);
      control.setErrorHandler((error, _request, reply) => {
        if (error instanceof SandboxHttpError) return reply.code(error.status).send({ error: error.title, code: error.code });
        const status = (error as { statusCode?: number }).statusCode ?? 500;
        return reply.code(status).send({ error: error instanceof Error ? error.message : String(error) });
      });
      const body = <T>(value: unknown): T => (value ?? {}) as T;
      const numberParam = (request: FastifyRequest) => (request.params as { number: string }).number;

      control.post("/setup", async (request) => sms.setup(body<SmsSetupInput>(request.body)));
      control.get("/setup", async (_request, reply) => sms.currentSetup() ?? reply.code(404).send({ error: "No SMS account yet: POST /_sandbox/sms/setup first", code: "sms_not_set_up" }));
      control.get("/numbers", async () => ({ numbers: sms.numbers() }));
      control.post("/numbers", async (request, reply) => reply.code(201).send({ number: sms.addNumber(body<SmsNumberInput>(request.body)) }));
      control.patch("/numbers/:number", async (request) => ({ number: sms.updateNumber(numberParam(request), body<SmsNumberPatch>(request.body)) }));
      control.get("/handsets", async () => ({ handsets: sms.handsets() }));
      control.post("/handsets", async (request, reply) => reply.code(201).send({ handsets: sms.addHandset(body<{ number: string }>(request.body).number) }));
      control.post("/send", async (request, reply) => reply.code(201).send(await sms.receive(body<SmsSendInput>(request.body))));
      control.get("/messages", async (request) => {
        const { handset } = request.query as { handset?: string };
        return { messages: handset ? sms.thread(handset) : sms.messages() };
      });
    },
    { prefix: "/_sandbox/sms" },
  );

  await server.register(async (phone) => {
    preparePageScope(phone, allowRemote);
    phone.addContentTypeParser("multipart/form-data", { parseAs: "buffer", bodyLimit: PHONE_FORM_LIMIT_BYTES }, (_request, payload, parsed) => parsed(null, payload));

    phone.get("/phone", async (request, reply) => {
      const query = request.query as { handset?: string; to?: string };
      const handsets = sms.handsets();
      const handset = query.handset && isE164(query.handset.trim()) ? query.handset.trim() : (handsets[0] ?? DEFAULT_HANDSET);
      const numbers = sms.numbers();
      const to = numbers.find((n) => n.phoneNumber === query.to?.trim())?.phoneNumber ?? numbers[0]?.phoneNumber ?? null;
      return page(reply, phonePage({ setup: sms.currentSetup(), handsets, handset, numbers, to, thread: sms.thread(handset) }));
    });

    phone.post("/phone/send", async (request, reply) => {
      const form = phoneForm(request);
      const input: SmsSendInput = {
        from: form.fields.get("from") ?? DEFAULT_HANDSET,
        ...(form.fields.get("to") ? { to: form.fields.get("to")! } : {}),
        body: form.fields.get("body") ?? "",
        media: form.files,
      };
      const result = await sms.receive(input);
      const back = `/phone?${new URLSearchParams({ handset: result.message.from, to: result.message.to })}`;
      return done(request, reply, back, result);
    });

    phone.post("/phone/handsets", async (request, reply) => {
      const number = (formOf(request).get("number") ?? "").trim();
      const handsets = sms.addHandset(number);
      return done(request, reply, `/phone?${new URLSearchParams({ handset: number })}`, { handsets });
    });

    phone.post("/phone/setup", async (request, reply) => {
      const setup = sms.setup({});
      return done(request, reply, "/phone", { phoneNumber: setup.phoneNumber });
    });
  });
}

/** The send form's fields and attached files, from a multipart post (browser) or a url-encoded one. */
function phoneForm(request: FastifyRequest): { fields: URLSearchParams; files: SmsMediaUpload[] } {
  if (!Buffer.isBuffer(request.body)) return { fields: formOf(request), files: [] };
  let parts: FormPart[];
  try {
    parts = parseMultipart(request.body, String(request.headers["content-type"] ?? ""));
  } catch (error) {
    throw badRequest(error instanceof Error ? error.message : "Invalid multipart body");
  }
  const fields = new URLSearchParams();
  const files: SmsMediaUpload[] = [];
  for (const part of parts) {
    // An empty file input still sends a part, with no name and no bytes.
    if (part.fileName !== undefined) {
      if (part.data.length > 0) files.push({ contentType: part.contentType ?? "application/octet-stream", base64: part.data.toString("base64") });
    } else {
      fields.append(part.name, part.data.toString("utf8"));
    }
  }
  return { fields, files };
}
