import { Fragment, lazy, StrictMode, Suspense, useEffect, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { createRoot } from "react-dom/client";
import { BrowserRouter, Navigate, Route, Routes } from "react-router-dom";
import { AppLayout, PlainLayout } from "./layout";
import { Apps } from "./pages/Apps";
import { Login } from "./pages/Login";
import { Overview } from "./pages/Overview";
import { RequireSession } from "./session";
import { Loading } from "./ui";
import "./i18n";
import "./style.css";

// Pages other than the first ones a visitor sees load on demand, so the
// initial JavaScript stays small (BENCHMARKS.md); GraphiQL alone is larger
// than the rest of the console.
const Analytics = lazy(() => import("./pages/Analytics"));
const Send = lazy(() => import("./pages/Send"));
const Jobs = lazy(() => import("./pages/Jobs"));
const JobDetail = lazy(() => import("./pages/JobDetail"));
const Devices = lazy(() => import("./pages/Devices"));
const DeviceDetail = lazy(() => import("./pages/DeviceDetail"));
const Users = lazy(() => import("./pages/Users"));
const Groups = lazy(() => import("./pages/Groups"));
const Templates = lazy(() => import("./pages/Templates"));
const Keys = lazy(() => import("./pages/Keys"));
const Channels = lazy(() => import("./pages/Channels"));
const Webhooks = lazy(() => import("./pages/Webhooks"));
const Explorer = lazy(() => import("./pages/Explorer"));
const Settings = lazy(() => import("./pages/Settings"));
const Audit = lazy(() => import("./pages/Audit"));
const Accounts = lazy(() => import("./pages/Accounts"));
const Account = lazy(() => import("./pages/Account"));
const Invitations = lazy(() => import("./pages/Invitations"));
const ResetPassword = lazy(() => import("./pages/ResetPassword"));

// Languages re-renders the whole console when the language changes (every
// text, number and date follows) and tells the browser which language the
// page is in, for screen readers, fonts and hyphenation.
function Languages({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  const lang = i18n.resolvedLanguage ?? "en";
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  return <Fragment key={lang}>{children}</Fragment>;
}

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <Languages>
      <BrowserRouter>
        <Routes>
          <Route path="/login" element={<Login />} />
          <Route
            path="/reset-password"
            element={
              <Suspense fallback={<Loading />}>
                <ResetPassword />
              </Suspense>
            }
          />
          <Route
            element={
              <RequireSession>
                <PlainLayout />
              </RequireSession>
            }
          >
            <Route path="/apps" element={<Apps />} />
            <Route path="/explorer" element={<Explorer />} />
            <Route path="/accounts" element={<Accounts />} />
            <Route path="/account" element={<Account />} />
            <Route path="/invitations" element={<Invitations />} />
          </Route>
          <Route
            path="/apps/:appID"
            element={
              <RequireSession>
                <AppLayout />
              </RequireSession>
            }
          >
            <Route index element={<Overview />} />
            <Route path="analytics" element={<Analytics />} />
            <Route path="send" element={<Send />} />
            <Route path="jobs" element={<Jobs />} />
            <Route path="jobs/:jobID" element={<JobDetail />} />
            <Route path="devices" element={<Devices />} />
            <Route path="devices/:deviceID" element={<DeviceDetail />} />
            <Route path="users" element={<Users />} />
            <Route path="groups" element={<Groups />} />
            <Route path="templates" element={<Templates />} />
            <Route path="keys" element={<Keys />} />
            <Route path="channels" element={<Channels />} />
            <Route path="webhooks" element={<Webhooks />} />
            <Route path="settings" element={<Settings />} />
            <Route path="audit" element={<Audit />} />
          </Route>
          <Route path="*" element={<Navigate to="/apps" replace />} />
        </Routes>
      </BrowserRouter>
    </Languages>
  </StrictMode>,
);
