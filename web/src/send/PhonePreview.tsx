// A push's notification on a phone, as iOS shows it on the lock screen and
// Android and HarmonyOS in the notification shade, with a warning wherever
// the system cuts the title or body (lib/preview.ts counts). Pure CSS
// (preview.css), light or dark as the computer is set. The image is a
// tile with its host name, never loaded: the console's CSP allows images
// from pushd only.
import { useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { locale } from "../i18n";
import { badgeOf, badgeText, cuts, imageHost, LAYOUTS, notification, PLATFORMS, viewOf, type Cut, type Platform, type Shown, type View } from "../lib/preview";
import { Segmented } from "../ui";
import "./preview.css";

export type PhonePreviewProps = {
  // The text as sent, measured for the warnings.
  title: string;
  body: string;
  // What shows instead of the plain text (a template's missing variables
  // marked); the same text.
  titleNode?: ReactNode;
  bodyNode?: ReactNode;
  imageURL?: string;
  badge?: string;
  silent?: boolean;
  // Said in place of the notification: why a silent push shows none, or
  // where an empty form's title and body will show.
  note?: ReactNode;
  testID?: string;
};

export function PhonePreview(props: PhonePreviewProps) {
  const { t } = useTranslation("preview");
  const [platform, setPlatform] = useState<Platform>("ios");
  const [view, setView] = useState<View>("collapsed");
  const host = imageHost(props.imageURL ?? "");
  const content = { title: props.title, body: props.body, image: host !== undefined };
  const v = viewOf(platform, view);
  const name = t(`platform.${platform}`);
  const warnings = props.silent ? [] : cuts(platform, v, content);
  return (
    <div className="phone-preview">
      <div className="phone-switches">
        <Segmented label={t("platform.label")} value={platform} options={PLATFORMS.map((p) => [p, t(`platform.${p}`)])} onChange={setPlatform} />
        {LAYOUTS[platform].expands && (
          <Segmented
            label={t("view.label")}
            value={view}
            options={[
              ["collapsed", t("view.collapsed")],
              ["expanded", t("view.expanded")],
            ]}
            onChange={setView}
          />
        )}
      </div>
      <figure className={`phone phone-${platform}`} aria-label={t("label", { platform: name })} data-view={v}>
        <figcaption className="visually-hidden">{t(`screen.${platform}`)}</figcaption>
        <Screen platform={platform} />
        <div className="phone-notes">
          {props.silent ? (
            <p className="phone-silent" data-testid={props.testID}>
              {props.note}
            </p>
          ) : (
            <Card {...props} platform={platform} shown={notification(platform, v, content)} host={host} count={badgeOf(props.badge ?? "")} />
          )}
        </div>
        <span className="phone-home" aria-hidden="true" />
      </figure>
      {warnings.length > 0 && (
        <div className="phone-warnings">
          {warnings.map((c) => (
            <p key={c.kind} className="phone-warning small">
              {cutText(t, c, name)}
            </p>
          ))}
          <p className="muted small">{t("cut.approx")}</p>
        </div>
      )}
      {host && !props.silent && <p className="muted small">{t("imageNote")}</p>}
    </div>
  );
}

type T = ReturnType<typeof useTranslation<"preview">>["t"];

function cutText(t: T, c: Cut, platform: string): string {
  const key = c.kind === "bodyCollapsed" && c.fullWhenExpanded ? "bodyCollapsedFull" : c.kind;
  return t(`cut.${key}`, { count: c.chars, platform });
}

// Screen is what is behind the notification: the status bar, and the lock
// screen's clock (iOS), the shade's quick settings (Android) or the
// notification center's clock (HarmonyOS), at the time of the console.
function Screen({ platform }: { platform: Platform }) {
  const now = new Date();
  const lang = locale() === "zh-CN" ? "zh-CN" : "en-GB";
  const time = now.toLocaleTimeString(lang, { hour: "numeric", minute: "2-digit", hourCycle: "h23" });
  const date = now.toLocaleDateString(lang, { weekday: "long", month: "long", day: "numeric" });
  return (
    <div className="phone-screen" aria-hidden="true">
      <div className="phone-status">
        <span className="phone-status-time">{platform === "ios" ? "" : time}</span>
        <span className="phone-camera" />
        <span className="phone-status-icons">
          <span className="phone-signal">
            <i />
            <i />
            <i />
            <i />
          </span>
          <span className="phone-battery" />
        </span>
      </div>
      {platform === "android" ? (
        <div className="phone-shade">
          <span className="phone-date">{date}</span>
          <span className="phone-tiles">
            <i />
            <i />
            <i />
            <i />
          </span>
        </div>
      ) : (
        <div className="phone-clock">
          {platform === "ios" && <span className="phone-lock" />}
          <span className="phone-date">{date}</span>
          <span className="phone-time">{time}</span>
        </div>
      )}
    </div>
  );
}

type CardProps = PhonePreviewProps & { platform: Platform; shown: Shown; host?: string; count?: number };

// Card is the notification itself: icon, app name and time, title on one
// line, body clamped to the platform's lines (preview.css), the image tile.
// iOS and Android put a large icon beside the text, HarmonyOS a small one
// in the header; iOS's first line is the title (the app's name without
// one) with the time, the others' is the app's name and the time.
function Card({ platform, shown, host, count, title, body, titleNode, bodyNode, note, testID }: CardProps) {
  const { t } = useTranslation("preview");
  const icon = <AppIcon platform={platform} badge={count} />;
  const titleEl = title ? <strong className="preview-title">{titleNode ?? title}</strong> : null;
  const ios = platform === "ios";
  return (
    <article className="note" data-testid={testID}>
      {platform !== "harmony" && icon}
      <div className="note-content">
        <header className="note-head">
          {platform === "harmony" && icon}
          {ios && titleEl ? titleEl : <span className="note-app">{t("appName")}</span>}
          <span className="note-when">{t(`now.${platform}`)}</span>
          {LAYOUTS[platform].expands && <span className="note-chevron" aria-hidden="true" />}
        </header>
        <div className="note-main">
          <div className="note-text">
            {!ios && titleEl}
            {body && <div className="preview-body">{bodyNode ?? body}</div>}
            {!title && !body && <span className="note-empty">{note}</span>}
          </div>
          {shown.thumbnail && host && <ImageTile host={host} />}
        </div>
        {shown.bigPicture && host && <ImageTile host={host} big />}
      </div>
    </article>
  );
}

// AppIcon is the icon placeholder with the badge: a number on iOS and
// HarmonyOS, a dot on Android.
function AppIcon({ platform, badge }: { platform: Platform; badge?: number }) {
  const { t } = useTranslation("preview");
  return (
    <span className="note-icon">
      {badge !== undefined &&
        (platform === "android" ? (
          <>
            <span className="note-dot" aria-hidden="true" />
            <span className="visually-hidden">{t("icon.dot")}</span>
          </>
        ) : (
          <>
            <span className="note-badge" aria-hidden="true">
              {badgeText(platform, badge)}
            </span>
            <span className="visually-hidden">{t("icon.count", { n: badge })}</span>
          </>
        ))}
    </span>
  );
}

function ImageTile({ host, big = false }: { host: string; big?: boolean }) {
  const { t } = useTranslation("preview");
  return (
    <span className={big ? "note-image note-image-big" : "note-image"} role="img" aria-label={t("image", { host })} title={host}>
      <span className="note-image-host" aria-hidden="true">
        {host}
      </span>
    </span>
  );
}
