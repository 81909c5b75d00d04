// The composer's GraphQL operations (names start with "Send", unique in the
// console).
import { graphql } from "../gql";

// A picker, not a list page: 100 templates per search is plenty to choose
// from, and the name filter reaches the rest.
export const SendTemplatesQuery = graphql(`
  query SendTemplates($app: ID!, $name: String) {
    templates(first: 100, where: { appID: $app, nameContainsFold: $name }, orderBy: { field: NAME, direction: ASC }) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...TemplateContentFields
        }
      }
    }
  }
`);

export const SendGroupsQuery = graphql(`
  query SendGroups($app: ID!, $name: String) {
    groups(first: 100, where: { appID: $app, nameContainsFold: $name }, orderBy: { field: NAME, direction: ASC }) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          name
        }
      }
    }
  }
`);

export const SendPreviewAudienceQuery = graphql(`
  query SendPreviewAudience($app: ID!, $audience: AudienceInput!) {
    previewAudience(appID: $app, audience: $audience)
  }
`);

export const SendPushSimpleMutation = graphql(`
  mutation SendPushSimple($input: PushSimpleInput!) {
    pushSimple(input: $input) {
      id
    }
  }
`);

export const SendPushTemplateMutation = graphql(`
  mutation SendPushTemplate($input: PushTemplateInput!) {
    pushTemplate(input: $input) {
      id
    }
  }
`);

export const SendPushMultipleMutation = graphql(`
  mutation SendPushMultiple($input: PushMultipleInput!) {
    pushMultiple(input: $input) {
      id
    }
  }
`);

export const SendPushBroadcastMutation = graphql(`
  mutation SendPushBroadcast($input: PushBroadcastInput!) {
    pushBroadcast(input: $input) {
      id
    }
  }
`);

export const SendTemplateQuery = graphql(`
  query SendTemplate($app: ID!, $name: String!) {
    templates(first: 1, where: { appID: $app, name: $name }) {
      edges {
        node {
          ...TemplateContentFields
        }
      }
    }
  }
`);
