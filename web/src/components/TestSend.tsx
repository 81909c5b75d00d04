// TestSend is the "Send a test push" button of the device, user, group and
// template pages: a small dialog with the message filled in sends at once
// (no composer), under a task name that marks it as a test in the push
// list, and then links to the push. People who may not send get no button.
import { useEffect, useRef, useState, type ReactNode } from "react";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { useMutation, useQuery } from "../hooks";
import type { TargetKind } from "../lib/compose";
import { when } from "../lib/format";
import { fill, renderTemplate } from "../lib/template";
import { testTarget, testTaskName, type TestSubject } from "../lib/testsend";
import { SendPreviewAudienceQuery, SendPushBroadcastMutation, SendPushSimpleMutation, SendPushTemplateMutation } from "../send/operations";
import { useCan } from "../session";
import { Field, Problem, Segmented } from "../ui";
import { TargetPicker } from "./TargetPicker";

type T = TFunction<"picker">;

// name is what the button is for, when the page shows many (a row's user,
// group or template): screen readers hear it in the button's name.
export function TestSend({ appID, subject, name }: { appID: string; subject: TestSubject; name?: string }) {
  const { t } = useTranslation("picker");
  const can = useCan(appID);
  const [open, setOpen] = useState(false);
  if (!can.send) return null;
  return (
    <>
      <button type="button" className="secondary" aria-label={name ? t("test.buttonFor", { name }) : undefined} onClick={() => setOpen(true)}>
        {t("test.button")}
      </button>
      {open && <TestDialog appID={appID} subject={subject} onClose={() => setOpen(false)} />}
    </>
  );
}

function dialogTitle(t: T, s: TestSubject): string {
  if (s.kind === "device") return t("test.title.device");
  if (s.kind === "user") return t("test.title.user", { name: s.id });
  return t(s.kind === "group" ? "test.title.group" : "test.title.template", { name: s.name });
}

type Step = { onCancel: () => void; onSent: (jobID: string) => void };

// TestDialog is modal like Confirm: Escape or Cancel closes it, Cancel has
// the focus first (Enter alone sends nothing), and the focus goes back to
// the button when it closes.
function TestDialog({ appID, subject, onClose }: { appID: string; subject: TestSubject; onClose: () => void }) {
  const { t } = useTranslation("picker");
  const ref = useRef<HTMLDialogElement>(null);
  const [jobID, setJobID] = useState("");
  useEffect(() => {
    const d = ref.current;
    const opener = document.activeElement as HTMLElement | null;
    if (d && !d.open) d.showModal();
    d?.querySelector<HTMLElement>("[data-first]")?.focus();
    return () => {
      d?.close();
      opener?.focus?.();
    };
  }, []);
  const title = dialogTitle(t, subject);
  const step: Step = { onCancel: onClose, onSent: setJobID };
  return (
    <dialog ref={ref} className="confirm" aria-label={title} onCancel={onClose} style={{ width: "min(32rem, calc(100vw - 2.5rem))" }}>
      <h2>{title}</h2>
      {jobID ? (
        <Sent appID={appID} jobID={jobID} onClose={onClose} />
      ) : (
        <>
          <p className="muted small">{t(`test.intro.${subject.kind}`, { task: testTaskName(subject) })}</p>
          {subject.kind === "template" ? <TemplateTest appID={appID} subject={subject} {...step} /> : <MessageTest appID={appID} subject={subject} {...step} />}
        </>
      )}
    </dialog>
  );
}

// Buttons end the dialog's form: Cancel first, then Send.
function Buttons({ onCancel, onSend, disabled }: { onCancel: () => void; onSend: () => void; disabled: boolean }) {
  const { t } = useTranslation("picker");
  const { t: common } = useTranslation();
  return (
    <div className="actions">
      <button type="button" className="secondary" onClick={onCancel} data-first>
        {common("cancel")}
      </button>
      <button type="button" disabled={disabled} onClick={onSend}>
        {t("test.send")}
      </button>
    </div>
  );
}

function Stack({ children }: { children: ReactNode }) {
  return <div style={{ display: "grid", gap: "0.85rem" }}>{children}</div>;
}

// MessageTest sends a title and body to a device or a user (pushSimple) or
// to a group's devices (pushBroadcast, after saying how many).
function MessageTest({ appID, subject, onCancel, onSent }: Step & { appID: string; subject: Exclude<TestSubject, { kind: "template" }> }) {
  const { t } = useTranslation("picker");
  const [title, setTitle] = useState(() => t("test.defaultTitle"));
  const [body, setBody] = useState(() => t("test.defaultBody", { time: when(new Date().toISOString()) }));
  const group = subject.kind === "group" ? subject : undefined;
  const target = subject.kind === "group" ? undefined : testTarget(subject);
  const reach = useQuery(SendPreviewAudienceQuery, { app: appID, audience: { groups: group ? [group.id] : [] } }, { skip: !group });
  const [simple, simpleState] = useMutation(SendPushSimpleMutation);
  const [broadcast, broadcastState] = useMutation(SendPushBroadcastMutation);
  const running = simpleState.running || broadcastState.running;
  const empty = !title.trim() && !body.trim();
  const devices = reach.data?.previewAudience;

  async function send() {
    // An empty title or body is left out, as the composer does.
    const message = { ...(title.trim() ? { title: title.trim() } : {}), ...(body.trim() ? { body: body.trim() } : {}) };
    const options = { taskName: testTaskName(subject) };
    const id = target
      ? (await simple({ input: { appID, target, message, options } }))?.pushSimple.id
      : group && (await broadcast({ input: { appID, message, audience: { groups: [group.id] }, options } }))?.pushBroadcast.id;
    if (id) onSent(id);
  }

  return (
    <Stack>
      <Field label={t("test.pushTitle")}>{(id) => <input id={id} value={title} onChange={(e) => setTitle(e.target.value)} maxLength={1024} />}</Field>
      <Field label={t("test.pushBody")} hint={empty ? t("test.empty") : undefined}>
        {(id) => <textarea id={id} value={body} onChange={(e) => setBody(e.target.value)} maxLength={4096} rows={2} />}
      </Field>
      {group && <Reach loading={reach.loading} devices={devices} />}
      <Problem error={reach.error ?? simpleState.error ?? broadcastState.error} retry={reach.error ? reach.reload : undefined} />
      <Buttons onCancel={onCancel} onSend={send} disabled={running || empty || (!!group && !devices)} />
    </Stack>
  );
}

function Reach({ loading, devices }: { loading: boolean; devices: number | undefined }) {
  const { t } = useTranslation("picker");
  if (devices === undefined) return loading ? <p className="muted" aria-busy="true">{t("test.counting")}</p> : null;
  return (
    <p role="status" className={devices ? undefined : "warning small"} style={{ margin: 0 }}>
      {devices ? t("test.reach", { count: devices }) : t("test.reachNone")}
    </p>
  );
}

// TemplateTest sends the template with its defaults (no variables given)
// to the device or user picked; a template that needs values it has no
// default for is for the composer.
function TemplateTest({ appID, subject, onCancel, onSent }: Step & { appID: string; subject: Extract<TestSubject, { kind: "template" }> }) {
  const { t } = useTranslation("picker");
  const [kind, setKind] = useState<TargetKind>("device");
  const [target, setTarget] = useState("");
  const [send, sent] = useMutation(SendPushTemplateMutation);
  const rendered = renderTemplate(subject.content, {});
  const missing = rendered.missing;

  async function go() {
    const input = { appID, target: testTarget({ kind, id: target }), templateName: subject.name, options: { taskName: testTaskName(subject) } };
    const r = await send({ input });
    if (r) onSent(r.pushTemplate.id);
  }

  return (
    <Stack>
      <TemplatePreview title={missing.length ? fill(subject.content.title, {}) : rendered.title} body={missing.length ? fill(subject.content.body, {}) : rendered.body} />
      {missing.length > 0 && (
        <p className="warning small">
          {t("test.missing", { names: missing.join(t("separator")) })}{" "}
          <Link to={`/apps/${appID}/send?mode=template&template=${encodeURIComponent(subject.name)}`}>{t("test.composer")}</Link>
        </p>
      )}
      {missing.length === 0 &&
        (target ? (
          <p style={{ margin: 0 }}>
            {t("test.to")} <code>{target}</code>{" "}
            <button type="button" className="link" onClick={() => setTarget("")}>
              {t("test.change")}
            </button>
          </p>
        ) : (
          <>
            <Segmented
              label={t("test.kind")}
              value={kind}
              options={[
                ["device", t("test.device")],
                ["user", t("test.user")],
              ]}
              onChange={setKind}
            />
            <TargetPicker key={kind} appID={appID} kind={kind} action="choose" onPick={setTarget} />
          </>
        ))}
      <Problem error={sent.error} />
      <Buttons onCancel={onCancel} onSend={go} disabled={sent.running || !target || missing.length > 0} />
    </Stack>
  );
}

function TemplatePreview({ title, body }: { title: string; body: string }) {
  return (
    <div className="preview">
      {title && <strong>{title}</strong>}
      {body && <span>{body}</span>}
    </div>
  );
}

// Sent says the push went and links to its page.
function Sent({ appID, jobID, onClose }: { appID: string; jobID: string; onClose: () => void }) {
  const { t } = useTranslation("picker");
  const link = useRef<HTMLAnchorElement>(null);
  // The form's buttons are gone: the focus goes to what comes next.
  useEffect(() => link.current?.focus(), []);
  return (
    <Stack>
      <p role="status" style={{ margin: 0 }}>
        {t("test.sent")}
      </p>
      <div className="actions">
        <button type="button" className="secondary" onClick={onClose}>
          {t("test.close")}
        </button>
        <Link ref={link} className="button" to={`/apps/${appID}/jobs/${jobID}`}>
          {t("test.open")}
        </Link>
      </div>
    </Stack>
  );
}
