import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { BrowserRouter, Navigate, Route, Routes } from "react-router-dom";
import { Apps } from "./pages/Apps";
import { Login } from "./pages/Login";
import { Overview } from "./pages/Overview";
import "./style.css";

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <BrowserRouter>
      <Routes>
        <Route path="/login" element={<Login />} />
        <Route path="/apps" element={<Apps />} />
        <Route path="/apps/:appID" element={<Overview />} />
        <Route path="*" element={<Navigate to="/apps" replace />} />
      </Routes>
    </BrowserRouter>
  </StrictMode>,
);
