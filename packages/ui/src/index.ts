export { IntegrationTile, ZendeskLogo, type IntegrationTileProps } from "./integration-tile.tsx";
export { ZendeskConnectionForm, type SubmitResult, type ZendeskConnectionFormProps } from "./zendesk-connection-form.tsx";
export { WebhookUrls } from "./webhook-urls.tsx";
export { CopyButton } from "./copy-button.tsx";
export { ConfirmDialog } from "./confirm-dialog.tsx";
export { Field } from "./field.tsx";
export { ConnectionTestReport, type ConnectionCheckView } from "./connection-test-report.tsx";
