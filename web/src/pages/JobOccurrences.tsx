import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { graphql } from "../gql";
import { useQuery } from "../hooks";
import { count, when } from "../lib/format";
import { PAGE_SIZE } from "../lib/paging";
import { Badge, ListBody, Pager, Problem, usePager } from "../ui";

// A recurring push makes a job per occurrence, for as long as it runs (one
// a minute is half a million a year): they are paged, newest first.
const JobOccurrencesQuery = graphql(`
  query JobOccurrences($where: PushJobWhereInput!, $first: Int, $after: Cursor) {
    pushJobs(where: $where, first: $first, after: $after, orderBy: { field: CREATED_AT, direction: DESC }) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          status
          createdAt
          counts {
            targeted
          }
        }
      }
    }
  }
`);

export function Occurrences({ appID, scheduleID }: { appID: string; scheduleID: string }) {
  const { t } = useTranslation("jobs");
  const where = { appID, scheduleID };
  const pager = usePager(where);
  const { data, error, loading, reload } = useQuery(JobOccurrencesQuery, { where, first: PAGE_SIZE, after: pager.after });
  const rows = data?.pushJobs.edges?.flatMap((e) => (e?.node ? [e.node] : [])) ?? [];
  return (
    <section aria-label={t("occurrences.title")}>
      <h2>{t("occurrences.title")}</h2>
      <Problem error={error} retry={reload} />
      <ListBody data={data} loading={loading} error={error} count={rows.length} empty={t("occurrences.empty")}>
        <table>
          <thead>
            <tr>
              <th>{t("fields.created")}</th>
              <th>{t("fields.status")}</th>
              <th className="num">{t("counts.targeted")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((o) => (
              <tr key={o.id}>
                <td>
                  <Link to={`/apps/${appID}/jobs/${o.id}`}>{when(o.createdAt)}</Link>
                </td>
                <td>
                  <Badge value={o.status} />
                </td>
                <td className="num">{count(o.counts.targeted)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ListBody>
      <Pager pager={pager} conn={data?.pushJobs} />
    </section>
  );
}
