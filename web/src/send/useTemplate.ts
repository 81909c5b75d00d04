import { useQuery } from "../hooks";
import { variablesOf } from "../lib/template";
import type { Template } from "./fields";
import { SendTemplateQuery } from "./operations";

// useTemplate loads the template picked by name (the name is in the URL,
// so a link can open the composer on a template).
export function useTemplate(appID: string, name: string) {
  const q = useQuery(SendTemplateQuery, { app: appID, name }, { skip: !name });
  const node = name ? q.data?.templates.edges?.[0]?.node : undefined;
  const template: Template | undefined = node && node.name === name ? node : undefined;
  return {
    template,
    variables: template ? variablesOf(template) : [],
    loading: !!name && q.loading && !template,
    missing: !!name && !q.loading && !q.error && q.data !== undefined && !template,
    error: q.error,
    reload: q.reload,
  };
}
