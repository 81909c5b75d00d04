/* eslint-disable */
import * as types from './graphql';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query AppSwitcher {\n    apps(first: 200, orderBy: { field: NAME, direction: ASC }) {\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n": typeof types.AppSwitcherDocument,
    "\n  mutation Logout {\n    logout\n  }\n": typeof types.LogoutDocument,
    "\n  query Apps($after: Cursor, $first: Int) {\n    apps(after: $after, first: $first, orderBy: { field: NAME, direction: ASC }) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          name\n          description\n          appKey\n          createdAt\n        }\n      }\n    }\n  }\n": typeof types.AppsDocument,
    "\n  mutation CreateApp($input: CreateAppInput!) {\n    createApp(input: $input) {\n      id\n    }\n  }\n": typeof types.CreateAppDocument,
    "\n  mutation Login($input: LoginInput!) {\n    login(input: $input) {\n      account {\n        id\n      }\n    }\n  }\n": typeof types.LoginDocument,
    "\n  query Overview($app: ID!, $from: Time!, $to: Time!) {\n    node(id: $app) {\n      ... on App {\n        id\n        name\n        appKey\n      }\n    }\n    coreIndex(appID: $app, from: $from, to: $to) {\n      pushes\n      counts {\n        sent\n        arrived\n        opened\n        ignored\n        failed\n        expired\n      }\n      arrivalRate\n      openRate\n    }\n  }\n": typeof types.OverviewDocument,
    "\n  query RecentMinutes($input: StatsInput!) {\n    stats(input: $input) {\n      at\n      platform\n      channel\n      counts {\n        sent\n        arrived\n        opened\n        failed\n      }\n    }\n  }\n": typeof types.RecentMinutesDocument,
    "\n  subscription LiveOverview($app: ID!, $groupBy: [StatDimension!]) {\n    liveStats(appID: $app, groupBy: $groupBy) {\n      at\n      minute {\n        at\n        platform\n        channel\n        counts {\n          sent\n          arrived\n          opened\n          failed\n        }\n      }\n      totals {\n        sent\n        arrived\n        opened\n        failed\n      }\n    }\n  }\n": typeof types.LiveOverviewDocument,
    "\n  query Viewer {\n    viewer {\n      account {\n        id\n        email\n        admin\n        memberships {\n          appID\n          role\n        }\n      }\n    }\n  }\n": typeof types.ViewerDocument,
};
const documents: Documents = {
    "\n  query AppSwitcher {\n    apps(first: 200, orderBy: { field: NAME, direction: ASC }) {\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n": types.AppSwitcherDocument,
    "\n  mutation Logout {\n    logout\n  }\n": types.LogoutDocument,
    "\n  query Apps($after: Cursor, $first: Int) {\n    apps(after: $after, first: $first, orderBy: { field: NAME, direction: ASC }) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          name\n          description\n          appKey\n          createdAt\n        }\n      }\n    }\n  }\n": types.AppsDocument,
    "\n  mutation CreateApp($input: CreateAppInput!) {\n    createApp(input: $input) {\n      id\n    }\n  }\n": types.CreateAppDocument,
    "\n  mutation Login($input: LoginInput!) {\n    login(input: $input) {\n      account {\n        id\n      }\n    }\n  }\n": types.LoginDocument,
    "\n  query Overview($app: ID!, $from: Time!, $to: Time!) {\n    node(id: $app) {\n      ... on App {\n        id\n        name\n        appKey\n      }\n    }\n    coreIndex(appID: $app, from: $from, to: $to) {\n      pushes\n      counts {\n        sent\n        arrived\n        opened\n        ignored\n        failed\n        expired\n      }\n      arrivalRate\n      openRate\n    }\n  }\n": types.OverviewDocument,
    "\n  query RecentMinutes($input: StatsInput!) {\n    stats(input: $input) {\n      at\n      platform\n      channel\n      counts {\n        sent\n        arrived\n        opened\n        failed\n      }\n    }\n  }\n": types.RecentMinutesDocument,
    "\n  subscription LiveOverview($app: ID!, $groupBy: [StatDimension!]) {\n    liveStats(appID: $app, groupBy: $groupBy) {\n      at\n      minute {\n        at\n        platform\n        channel\n        counts {\n          sent\n          arrived\n          opened\n          failed\n        }\n      }\n      totals {\n        sent\n        arrived\n        opened\n        failed\n      }\n    }\n  }\n": types.LiveOverviewDocument,
    "\n  query Viewer {\n    viewer {\n      account {\n        id\n        email\n        admin\n        memberships {\n          appID\n          role\n        }\n      }\n    }\n  }\n": types.ViewerDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AppSwitcher {\n    apps(first: 200, orderBy: { field: NAME, direction: ASC }) {\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').AppSwitcherDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Logout {\n    logout\n  }\n"): typeof import('./graphql').LogoutDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Apps($after: Cursor, $first: Int) {\n    apps(after: $after, first: $first, orderBy: { field: NAME, direction: ASC }) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          name\n          description\n          appKey\n          createdAt\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').AppsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateApp($input: CreateAppInput!) {\n    createApp(input: $input) {\n      id\n    }\n  }\n"): typeof import('./graphql').CreateAppDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Login($input: LoginInput!) {\n    login(input: $input) {\n      account {\n        id\n      }\n    }\n  }\n"): typeof import('./graphql').LoginDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Overview($app: ID!, $from: Time!, $to: Time!) {\n    node(id: $app) {\n      ... on App {\n        id\n        name\n        appKey\n      }\n    }\n    coreIndex(appID: $app, from: $from, to: $to) {\n      pushes\n      counts {\n        sent\n        arrived\n        opened\n        ignored\n        failed\n        expired\n      }\n      arrivalRate\n      openRate\n    }\n  }\n"): typeof import('./graphql').OverviewDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RecentMinutes($input: StatsInput!) {\n    stats(input: $input) {\n      at\n      platform\n      channel\n      counts {\n        sent\n        arrived\n        opened\n        failed\n      }\n    }\n  }\n"): typeof import('./graphql').RecentMinutesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription LiveOverview($app: ID!, $groupBy: [StatDimension!]) {\n    liveStats(appID: $app, groupBy: $groupBy) {\n      at\n      minute {\n        at\n        platform\n        channel\n        counts {\n          sent\n          arrived\n          opened\n          failed\n        }\n      }\n      totals {\n        sent\n        arrived\n        opened\n        failed\n      }\n    }\n  }\n"): typeof import('./graphql').LiveOverviewDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Viewer {\n    viewer {\n      account {\n        id\n        email\n        admin\n        memberships {\n          appID\n          role\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').ViewerDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
