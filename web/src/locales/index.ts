// The console's text in each language it speaks, one file per area of the
// console (namespace). The files are bundled: nothing is fetched at run time.

import en_common from "./en/common.json";
import en_layout from "./en/layout.json";
import en_auth from "./en/auth.json";
import en_account from "./en/account.json";
import en_accounts from "./en/accounts.json";
import en_apps from "./en/apps.json";
import en_overview from "./en/overview.json";
import en_analytics from "./en/analytics.json";
import en_jobs from "./en/jobs.json";
import en_send from "./en/send.json";
import en_compose from "./en/compose.json";
import en_picker from "./en/picker.json";
import en_schedule from "./en/schedule.json";
import en_preview from "./en/preview.json";
import en_devices from "./en/devices.json";
import en_users from "./en/users.json";
import en_groups from "./en/groups.json";
import en_templates from "./en/templates.json";
import en_keys from "./en/keys.json";
import en_channels from "./en/channels.json";
import en_webhooks from "./en/webhooks.json";
import en_settings from "./en/settings.json";
import en_audit from "./en/audit.json";
import en_explorer from "./en/explorer.json";
import zh_common from "./zh-CN/common.json";
import zh_layout from "./zh-CN/layout.json";
import zh_auth from "./zh-CN/auth.json";
import zh_account from "./zh-CN/account.json";
import zh_accounts from "./zh-CN/accounts.json";
import zh_apps from "./zh-CN/apps.json";
import zh_overview from "./zh-CN/overview.json";
import zh_analytics from "./zh-CN/analytics.json";
import zh_jobs from "./zh-CN/jobs.json";
import zh_send from "./zh-CN/send.json";
import zh_compose from "./zh-CN/compose.json";
import zh_picker from "./zh-CN/picker.json";
import zh_schedule from "./zh-CN/schedule.json";
import zh_preview from "./zh-CN/preview.json";
import zh_devices from "./zh-CN/devices.json";
import zh_users from "./zh-CN/users.json";
import zh_groups from "./zh-CN/groups.json";
import zh_templates from "./zh-CN/templates.json";
import zh_keys from "./zh-CN/keys.json";
import zh_channels from "./zh-CN/channels.json";
import zh_webhooks from "./zh-CN/webhooks.json";
import zh_settings from "./zh-CN/settings.json";
import zh_audit from "./zh-CN/audit.json";
import zh_explorer from "./zh-CN/explorer.json";

export const en = {
  common: en_common,
  layout: en_layout,
  auth: en_auth,
  account: en_account,
  accounts: en_accounts,
  apps: en_apps,
  overview: en_overview,
  analytics: en_analytics,
  jobs: en_jobs,
  send: en_send,
  compose: en_compose,
  picker: en_picker,
  schedule: en_schedule,
  preview: en_preview,
  devices: en_devices,
  users: en_users,
  groups: en_groups,
  templates: en_templates,
  keys: en_keys,
  channels: en_channels,
  webhooks: en_webhooks,
  settings: en_settings,
  audit: en_audit,
  explorer: en_explorer,
};

// zh-CN has the same keys as en (i18n.test.ts checks), though plural forms
// differ: Chinese has one form (_other) where English has two.
export const zhCN: Record<keyof typeof en, Record<string, unknown>> = {
  common: zh_common,
  layout: zh_layout,
  auth: zh_auth,
  account: zh_account,
  accounts: zh_accounts,
  apps: zh_apps,
  overview: zh_overview,
  analytics: zh_analytics,
  jobs: zh_jobs,
  send: zh_send,
  compose: zh_compose,
  picker: zh_picker,
  schedule: zh_schedule,
  preview: zh_preview,
  devices: zh_devices,
  users: zh_users,
  groups: zh_groups,
  templates: zh_templates,
  keys: zh_keys,
  channels: zh_channels,
  webhooks: zh_webhooks,
  settings: zh_settings,
  audit: zh_audit,
  explorer: zh_explorer,
};

export const namespaces = Object.keys(en) as (keyof typeof en)[];
