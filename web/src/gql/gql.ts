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
    "\n  query PickerDevices($where: DeviceWhereInput!, $first: Int!) {\n    devices(where: $where, first: $first, orderBy: { field: LAST_SEEN_AT, direction: DESC }) {\n      totalCount\n      edges {\n        node {\n          id\n          installationID\n          platform\n          model\n          lastSeenAt\n          online\n          user {\n            id\n            externalID\n          }\n        }\n      }\n    }\n  }\n": typeof types.PickerDevicesDocument,
    "\n  query PickerUsers($where: AppUserWhereInput!, $first: Int!) {\n    appUsers(where: $where, first: $first, orderBy: { field: EXTERNAL_ID, direction: ASC }) {\n      totalCount\n      edges {\n        node {\n          id\n          externalID\n          devices {\n            id\n            platform\n            lastSeenAt\n          }\n        }\n      }\n    }\n  }\n": typeof types.PickerUsersDocument,
    "\n  fragment JobCountsFields on PushCounts {\n    targeted\n    pending\n    sent\n    arrived\n    opened\n    ignored\n    failed\n    expired\n    revoked\n  }\n": typeof types.JobCountsFieldsFragmentDoc,
    "\n  fragment JobUpdateFields on PushJob {\n    id\n    status\n    updatedAt\n    scheduleAt\n    finishedAt\n    error\n    counts {\n      ...JobCountsFields\n    }\n  }\n": typeof types.JobUpdateFieldsFragmentDoc,
    "\n  fragment AllCountsFields on StatCounts {\n    targeted\n    sent\n    arrived\n    opened\n    ignored\n    failed\n    expired\n    revoked\n  }\n": typeof types.AllCountsFieldsFragmentDoc,
    "\n  fragment ReportCountsFields on StatCounts {\n    sent\n    arrived\n    opened\n    ignored\n    failed\n    expired\n  }\n": typeof types.ReportCountsFieldsFragmentDoc,
    "\n  fragment LiveCountsFields on StatCounts {\n    sent\n    arrived\n    opened\n    failed\n  }\n": typeof types.LiveCountsFieldsFragmentDoc,
    "\n  fragment DeliveryStateFields on Delivery {\n    id\n    channel\n    status\n    attempts\n    lastError\n    createdAt\n    sentAt\n    arrivedAt\n    openedAt\n  }\n": typeof types.DeliveryStateFieldsFragmentDoc,
    "\n  fragment GroupFields on Group {\n    id\n    appID\n    name\n    description\n  }\n": typeof types.GroupFieldsFragmentDoc,
    "\n  fragment TemplateContentFields on Template {\n    id\n    name\n    title\n    body\n    variables\n    defaults\n  }\n": typeof types.TemplateContentFieldsFragmentDoc,
    "\n  query AppSwitcher {\n    apps(first: 200, orderBy: { field: NAME, direction: ASC }) {\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n": typeof types.AppSwitcherDocument,
    "\n  query SwitcherCurrentApp($id: ID!) {\n    node(id: $id) {\n      ... on App {\n        id\n        name\n      }\n    }\n  }\n": typeof types.SwitcherCurrentAppDocument,
    "\n  mutation Logout {\n    logout\n  }\n": typeof types.LogoutDocument,
    "\n  mutation AccountChangePassword($input: ChangePasswordInput!) {\n    changePassword(input: $input) {\n      endedSessions\n    }\n  }\n": typeof types.AccountChangePasswordDocument,
    "\n  mutation AccountLogoutEverywhere {\n    logoutEverywhere\n  }\n": typeof types.AccountLogoutEverywhereDocument,
    "\n  query AccountsList($where: AccountWhereInput, $first: Int, $after: Cursor) {\n    accounts(where: $where, first: $first, after: $after, orderBy: { field: CREATED_AT, direction: DESC }) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          email\n          admin\n          lastLoginAt\n          createdAt\n          disabledAt\n          passwordResetExpiresAt\n          memberships {\n            id\n            appID\n            role\n            app {\n              id\n              name\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.AccountsListDocument,
    "\n  query AccountsApps {\n    apps(first: 200, orderBy: { field: NAME, direction: ASC }) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n": typeof types.AccountsAppsDocument,
    "\n  mutation AccountsCreate($input: CreateAccountInput!) {\n    createAccount(input: $input) {\n      id\n      email\n      admin\n    }\n  }\n": typeof types.AccountsCreateDocument,
    "\n  mutation AccountsGrant($input: SetMembershipInput!) {\n    setMembership(input: $input) {\n      id\n      role\n      app {\n        name\n      }\n    }\n  }\n": typeof types.AccountsGrantDocument,
    "\n  mutation AccountsReset($id: ID!) {\n    createPasswordReset(accountID: $id) {\n      token\n      expiresAt\n    }\n  }\n": typeof types.AccountsResetDocument,
    "\n  mutation AccountsLogoutEverywhere($id: ID!) {\n    logoutEverywhere(accountID: $id)\n  }\n": typeof types.AccountsLogoutEverywhereDocument,
    "\n  mutation AccountsDisable($id: ID!) {\n    disableAccount(id: $id) {\n      id\n      disabledAt\n    }\n  }\n": typeof types.AccountsDisableDocument,
    "\n  mutation AccountsEnable($id: ID!) {\n    enableAccount(id: $id) {\n      id\n      disabledAt\n    }\n  }\n": typeof types.AccountsEnableDocument,
    "\n  mutation AccountsDelete($id: ID!) {\n    deleteAccount(id: $id)\n  }\n": typeof types.AccountsDeleteDocument,
    "\n  query AnalyticsStats($input: StatsInput!) {\n    stats(input: $input) {\n      at\n      platform\n      channel\n      appVersion\n      kind\n      counts {\n        ...AllCountsFields\n      }\n    }\n  }\n": typeof types.AnalyticsStatsDocument,
    "\n  query AnalyticsTotals($app: ID!, $from: Time!, $to: Time!) {\n    coreIndex(appID: $app, from: $from, to: $to) {\n      pushes\n      counts {\n        ...AllCountsFields\n      }\n    }\n  }\n": typeof types.AnalyticsTotalsDocument,
    "\n  query AnalyticsPushSearch($where: PushJobWhereInput!) {\n    pushJobs(where: $where, first: 10, orderBy: { field: CREATED_AT, direction: DESC }) {\n      edges {\n        node {\n          id\n          taskName\n          msgKey\n          kind\n          status\n          createdAt\n          recurrence {\n            cron\n          }\n          message {\n            title\n          }\n        }\n      }\n    }\n  }\n": typeof types.AnalyticsPushSearchDocument,
    "\n  query AnalyticsCompare($where: PushJobWhereInput!) {\n    pushJobs(where: $where, first: 5) {\n      edges {\n        node {\n          id\n          taskName\n          msgKey\n          kind\n          status\n          createdAt\n          message {\n            title\n          }\n          report {\n            counts {\n              ...AllCountsFields\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.AnalyticsCompareDocument,
    "\n  query Apps($after: Cursor, $first: Int) {\n    apps(after: $after, first: $first, orderBy: { field: NAME, direction: ASC }) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          name\n          description\n          appKey\n          createdAt\n        }\n      }\n    }\n  }\n": typeof types.AppsDocument,
    "\n  query AppsInvitations {\n    invitations {\n      id\n    }\n  }\n": typeof types.AppsInvitationsDocument,
    "\n  mutation CreateApp($input: CreateAppInput!) {\n    createApp(input: $input) {\n      id\n    }\n  }\n": typeof types.CreateAppDocument,
    "\n  query AuditLog($appID: ID!, $first: Int, $before: ID) {\n    auditLog(appID: $appID, first: $first, before: $before) {\n      id\n      at\n      actorKind\n      actorID\n      actorLabel\n      action\n      targetType\n      targetID\n      fields\n      address\n    }\n  }\n": typeof types.AuditLogDocument,
    "\n  query ChannelsList($where: ChannelConfigWhereInput, $appID: ID!) {\n    app: node(id: $appID) {\n      ... on App {\n        id\n        quotaPolicy\n      }\n    }\n    channelVendors {\n      channel\n      key\n      name\n      receipts\n      fields {\n        name\n        label\n        help\n        kind\n        required\n        choices\n      }\n    }\n    channelConfigs(where: $where, first: 10) {\n      edges {\n        node {\n          id\n          channel\n          environment\n          summary\n          configError\n          configErrorAt\n          maxPerSecond\n          createdAt\n          updatedAt\n          receiptURL\n          quota {\n            marketingPerDevice\n            day\n            sent\n            held\n            failed\n            devicesAtCap\n          }\n        }\n      }\n    }\n  }\n": typeof types.ChannelsListDocument,
    "\n  mutation ChannelsSet($input: SetChannelConfigInput!) {\n    setChannelConfig(input: $input) {\n      id\n      channel\n    }\n  }\n": typeof types.ChannelsSetDocument,
    "\n  mutation ChannelsDelete($appID: ID!, $channel: Channel!) {\n    deleteChannelConfig(appID: $appID, channel: $channel)\n  }\n": typeof types.ChannelsDeleteDocument,
    "\n  mutation SetQuotaPolicy($id: ID!, $policy: QuotaPolicy!) {\n    updateApp(id: $id, input: { quotaPolicy: $policy }) {\n      id\n      quotaPolicy\n    }\n  }\n": typeof types.SetQuotaPolicyDocument,
    "\n  query DeviceDetail($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on Device {\n        id\n        appID\n        installationID\n        platform\n        appVersion\n        osVersion\n        model\n        brand\n        locale\n        timezone\n        tags\n        pushEnabled\n        lastSeenAt\n        online\n        createdAt\n        updatedAt\n        boundAt\n        user {\n          id\n          externalID\n          groups {\n            id\n            name\n          }\n        }\n        tokens {\n          id\n          channel\n          token\n          status\n          deadReason\n          deadAt\n          createdAt\n          updatedAt\n        }\n      }\n    }\n  }\n": typeof types.DeviceDetailDocument,
    "\n  query DeviceDetailDeliveries($id: ID!, $first: Int, $after: Cursor) {\n    node(id: $id) {\n      __typename\n      ... on Device {\n        id\n        deliveries(first: $first, after: $after, orderBy: { field: CREATED_AT, direction: DESC }) {\n          totalCount\n          pageInfo {\n            hasNextPage\n            endCursor\n          }\n          edges {\n            node {\n              ...DeliveryStateFields\n              jobID\n              job {\n                id\n                kind\n                taskName\n                templateName\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.DeviceDetailDeliveriesDocument,
    "\n  mutation DeviceDetailBind($input: BindUserInput!) {\n    bindUser(input: $input) {\n      id\n      userID\n    }\n  }\n": typeof types.DeviceDetailBindDocument,
    "\n  mutation DeviceDetailUnbind($id: ID!) {\n    unbindUser(deviceID: $id) {\n      id\n      userID\n    }\n  }\n": typeof types.DeviceDetailUnbindDocument,
    "\n  mutation DeviceDetailSetTags($id: ID!, $tags: [String!]!) {\n    setDeviceTags(deviceID: $id, tags: $tags) {\n      id\n      tags\n    }\n  }\n": typeof types.DeviceDetailSetTagsDocument,
    "\n  query DevicesList($where: DeviceWhereInput, $orderBy: DeviceOrder, $first: Int, $after: Cursor) {\n    devices(where: $where, orderBy: $orderBy, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          installationID\n          platform\n          appVersion\n          osVersion\n          model\n          pushEnabled\n          lastSeenAt\n          online\n          createdAt\n          user {\n            id\n            externalID\n          }\n          tokens {\n            id\n            channel\n            status\n          }\n        }\n      }\n    }\n  }\n": typeof types.DevicesListDocument,
    "\n  query GroupsList($where: GroupWhereInput, $first: Int, $after: Cursor) {\n    groups(where: $where, orderBy: { field: NAME, direction: ASC }, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          name\n          description\n          createdAt\n          updatedAt\n          members(first: 0) {\n            totalCount\n          }\n        }\n      }\n    }\n  }\n": typeof types.GroupsListDocument,
    "\n  query GroupsOne($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on Group {\n        ...GroupFields\n      }\n    }\n  }\n": typeof types.GroupsOneDocument,
    "\n  mutation GroupsCreate($input: CreateGroupInput!) {\n    createGroup(input: $input) {\n      id\n    }\n  }\n": typeof types.GroupsCreateDocument,
    "\n  mutation GroupsUpdate($id: ID!, $input: UpdateGroupInput!) {\n    updateGroup(id: $id, input: $input) {\n      id\n    }\n  }\n": typeof types.GroupsUpdateDocument,
    "\n  mutation GroupsDelete($id: ID!) {\n    deleteGroup(id: $id)\n  }\n": typeof types.GroupsDeleteDocument,
    "\n  query Invitations {\n    invitations {\n      id\n      appID\n      appName\n      role\n      invitedBy\n      createdAt\n      expiresAt\n    }\n  }\n": typeof types.InvitationsDocument,
    "\n  mutation AcceptInvitation($id: ID!) {\n    acceptInvitation(id: $id) {\n      id\n      appID\n      role\n    }\n  }\n": typeof types.AcceptInvitationDocument,
    "\n  mutation DeclineInvitation($id: ID!) {\n    declineInvitation(id: $id)\n  }\n": typeof types.DeclineInvitationDocument,
    "\n  query JobAudienceGroups($ids: [ID!]!) {\n    nodes(ids: $ids) {\n      ... on Group {\n        id\n        name\n      }\n    }\n  }\n": typeof types.JobAudienceGroupsDocument,
    "\n  query JobDetailDeliveries($where: DeliveryWhereInput!, $first: Int, $after: Cursor) {\n    deliveries(where: $where, first: $first, after: $after, orderBy: { field: CREATED_AT, direction: DESC }) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...DeliveryStateFields\n          deviceID\n          appUserID\n          msgKey\n          expiresAt\n          device {\n            id\n            platform\n            model\n            installationID\n          }\n        }\n      }\n    }\n  }\n": typeof types.JobDetailDeliveriesDocument,
    "\n  query JobDetail($id: ID!) {\n    node(id: $id) {\n      ... on PushJob {\n        ...JobUpdateFields\n        appID\n        kind\n        createdAt\n        expiresAt\n        ttlSeconds\n        msgKey\n        taskName\n        templateName\n        unknownTargets\n        channels\n        scheduleID\n        target {\n          deviceIDs\n          userIDs\n        }\n        audience {\n          platforms\n          appVersions\n          tags\n          groups\n          bound\n          activeWithinSeconds\n        }\n        recurrence {\n          cron\n          timeZone\n          startAt\n          endAt\n        }\n        message {\n          title\n          body\n          payload\n          uri\n          action\n          silent\n          badge\n          sound\n          imageURL\n          collapseKey\n          priority\n          androidChannelID\n          category\n          classification\n        }\n      }\n    }\n  }\n": typeof types.JobDetailDocument,
    "\n  subscription JobDetailUpdated($id: ID!) {\n    pushJobUpdated(id: $id) {\n      ...JobUpdateFields\n    }\n  }\n": typeof types.JobDetailUpdatedDocument,
    "\n  mutation JobDetailRevoke($id: ID!) {\n    revokePush(id: $id) {\n      ...JobUpdateFields\n    }\n  }\n": typeof types.JobDetailRevokeDocument,
    "\n  mutation JobDetailCancel($id: ID!) {\n    cancelPush(id: $id) {\n      ...JobUpdateFields\n    }\n  }\n": typeof types.JobDetailCancelDocument,
    "\n  query JobDetailReport($id: ID!) {\n    node(id: $id) {\n      ... on PushJob {\n        id\n        byPlatform: report(groupBy: [PLATFORM]) {\n          platform\n          counts {\n            ...ReportCountsFields\n          }\n        }\n        byChannel: report(groupBy: [CHANNEL]) {\n          channel\n          counts {\n            ...ReportCountsFields\n          }\n        }\n      }\n    }\n  }\n": typeof types.JobDetailReportDocument,
    "\n  query JobOccurrences($where: PushJobWhereInput!, $first: Int, $after: Cursor) {\n    pushJobs(where: $where, first: $first, after: $after, orderBy: { field: CREATED_AT, direction: DESC }) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          status\n          createdAt\n          counts {\n            targeted\n          }\n        }\n      }\n    }\n  }\n": typeof types.JobOccurrencesDocument,
    "\n  query JobTimeline($input: StatsInput!) {\n    stats(input: $input) {\n      at\n      counts {\n        sent\n        arrived\n        opened\n        failed\n      }\n    }\n  }\n": typeof types.JobTimelineDocument,
    "\n  query JobsList($where: PushJobWhereInput!, $first: Int, $after: Cursor) {\n    pushJobs(where: $where, first: $first, after: $after, orderBy: { field: CREATED_AT, direction: DESC }) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...JobUpdateFields\n          kind\n          createdAt\n          templateName\n          taskName\n          unknownTargets\n          recurrence {\n            cron\n          }\n          message {\n            title\n            body\n            silent\n          }\n        }\n      }\n    }\n  }\n": typeof types.JobsListDocument,
    "\n  subscription JobsRowUpdated($id: ID!) {\n    pushJobUpdated(id: $id) {\n      ...JobUpdateFields\n    }\n  }\n": typeof types.JobsRowUpdatedDocument,
    "\n  query KeysList($where: APIKeyWhereInput, $first: Int, $after: Cursor) {\n    apiKeys(where: $where, first: $first, after: $after, orderBy: { field: CREATED_AT, direction: DESC }) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          name\n          keyID\n          algorithm\n          createdAt\n          lastUsedAt\n          revokedAt\n        }\n      }\n    }\n  }\n": typeof types.KeysListDocument,
    "\n  mutation KeysCreate($input: CreateAPIKeyInput!) {\n    createAPIKey(input: $input) {\n      apiKey {\n        id\n        name\n        keyID\n        algorithm\n      }\n      secret\n    }\n  }\n": typeof types.KeysCreateDocument,
    "\n  mutation KeysRevoke($id: ID!) {\n    revokeAPIKey(id: $id) {\n      id\n      revokedAt\n    }\n  }\n": typeof types.KeysRevokeDocument,
    "\n  mutation Login($input: LoginInput!) {\n    login(input: $input) {\n      account {\n        id\n      }\n    }\n  }\n": typeof types.LoginDocument,
    "\n  query Overview($app: ID!, $from: Time!, $to: Time!) {\n    node(id: $app) {\n      ... on App {\n        id\n        name\n        appKey\n      }\n    }\n    coreIndex(appID: $app, from: $from, to: $to) {\n      pushes\n      counts {\n        ...AllCountsFields\n      }\n      arrivalRate\n      openRate\n      ignoreRate\n    }\n  }\n": typeof types.OverviewDocument,
    "\n  query RecentMinutes($input: StatsInput!) {\n    stats(input: $input) {\n      at\n      platform\n      channel\n      counts {\n        ...LiveCountsFields\n      }\n    }\n  }\n": typeof types.RecentMinutesDocument,
    "\n  subscription LiveOverview($app: ID!, $groupBy: [StatDimension!]) {\n    liveStats(appID: $app, groupBy: $groupBy) {\n      at\n      minute {\n        at\n        platform\n        channel\n        counts {\n          ...LiveCountsFields\n        }\n      }\n      totals {\n        ...LiveCountsFields\n      }\n    }\n  }\n": typeof types.LiveOverviewDocument,
    "\n  mutation ResetPassword($input: ResetPasswordInput!) {\n    resetPassword(input: $input)\n  }\n": typeof types.ResetPasswordDocument,
    "\n  query SettingsApp($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on App {\n        id\n        name\n        description\n        appKey\n        createdAt\n        updatedAt\n      }\n    }\n  }\n": typeof types.SettingsAppDocument,
    "\n  query SettingsMembers($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on App {\n        id\n        members {\n          id\n          accountID\n          email\n          role\n          since\n          lastLoginAt\n        }\n      }\n    }\n  }\n": typeof types.SettingsMembersDocument,
    "\n  mutation SettingsUpdateApp($id: ID!, $input: UpdateAppInput!) {\n    updateApp(id: $id, input: $input) {\n      id\n      name\n      description\n      updatedAt\n    }\n  }\n": typeof types.SettingsUpdateAppDocument,
    "\n  mutation SettingsDeleteApp($id: ID!) {\n    deleteApp(id: $id)\n  }\n": typeof types.SettingsDeleteAppDocument,
    "\n  mutation SettingsSetMembership($input: SetMembershipInput!) {\n    setMembership(input: $input) {\n      id\n      role\n    }\n  }\n": typeof types.SettingsSetMembershipDocument,
    "\n  query SettingsInvitations($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on App {\n        id\n        invitations {\n          id\n          email\n          role\n          invitedBy\n          createdAt\n          expiresAt\n        }\n      }\n    }\n  }\n": typeof types.SettingsInvitationsDocument,
    "\n  mutation SettingsInvite($input: InviteMemberInput!) {\n    inviteMember(input: $input) {\n      id\n      email\n      role\n    }\n  }\n": typeof types.SettingsInviteDocument,
    "\n  mutation SettingsCancelInvitation($id: ID!) {\n    cancelInvitation(id: $id)\n  }\n": typeof types.SettingsCancelInvitationDocument,
    "\n  mutation SettingsDeleteMembership($id: ID!) {\n    deleteMembership(id: $id)\n  }\n": typeof types.SettingsDeleteMembershipDocument,
    "\n  query TemplatesList($where: TemplateWhereInput, $first: Int, $after: Cursor) {\n    templates(where: $where, orderBy: { field: NAME, direction: ASC }, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...TemplateContentFields\n          updatedAt\n        }\n      }\n    }\n  }\n": typeof types.TemplatesListDocument,
    "\n  query TemplatesOne($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on Template {\n        ...TemplateContentFields\n        appID\n      }\n    }\n  }\n": typeof types.TemplatesOneDocument,
    "\n  mutation TemplatesCreate($input: CreateTemplateInput!) {\n    createTemplate(input: $input) {\n      id\n    }\n  }\n": typeof types.TemplatesCreateDocument,
    "\n  mutation TemplatesUpdate($id: ID!, $input: UpdateTemplateInput!) {\n    updateTemplate(id: $id, input: $input) {\n      id\n    }\n  }\n": typeof types.TemplatesUpdateDocument,
    "\n  mutation TemplatesDelete($id: ID!) {\n    deleteTemplate(id: $id)\n  }\n": typeof types.TemplatesDeleteDocument,
    "\n  query UsersList($where: AppUserWhereInput, $first: Int, $after: Cursor) {\n    appUsers(where: $where, orderBy: { field: EXTERNAL_ID, direction: ASC }, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          externalID\n          createdAt\n          devices {\n            id\n            platform\n            lastSeenAt\n            online\n          }\n          groups {\n            id\n            name\n          }\n        }\n      }\n    }\n  }\n": typeof types.UsersListDocument,
    "\n  query UsersGroup($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on Group {\n        ...GroupFields\n      }\n    }\n  }\n": typeof types.UsersGroupDocument,
    "\n  query UsersLookup($where: AppUserWhereInput, $first: Int) {\n    appUsers(where: $where, first: $first) {\n      edges {\n        node {\n          id\n          externalID\n        }\n      }\n    }\n  }\n": typeof types.UsersLookupDocument,
    "\n  mutation UsersChangeMembers($id: ID!, $input: UpdateGroupInput!) {\n    updateGroup(id: $id, input: $input) {\n      id\n    }\n  }\n": typeof types.UsersChangeMembersDocument,
    "\n  query WebhooksList($where: WebhookWhereInput, $first: Int, $after: Cursor) {\n    webhooks(where: $where, first: $first, after: $after, orderBy: { field: CREATED_AT, direction: ASC }) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          url\n          events\n          enabled\n          createdAt\n        }\n      }\n    }\n  }\n": typeof types.WebhooksListDocument,
    "\n  query WebhooksDeliveries($where: WebhookDeliveryWhereInput, $first: Int, $after: Cursor) {\n    webhookDeliveries(where: $where, first: $first, after: $after, orderBy: { field: CREATED_AT, direction: DESC }) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          webhookID\n          receipts\n          status\n          attempts\n          createdAt\n          updatedAt\n          deliveredAt\n          webhook {\n            id\n            url\n          }\n          attemptLog {\n            at\n            statusCode\n            error\n            durationMS\n          }\n        }\n      }\n    }\n  }\n": typeof types.WebhooksDeliveriesDocument,
    "\n  mutation WebhooksCreate($input: CreateWebhookInput!) {\n    createWebhook(input: $input) {\n      webhook {\n        id\n        url\n      }\n      secret\n    }\n  }\n": typeof types.WebhooksCreateDocument,
    "\n  mutation WebhooksDelete($id: ID!) {\n    deleteWebhook(id: $id)\n  }\n": typeof types.WebhooksDeleteDocument,
    "\n  query SendReachability($app: ID!, $target: PushTarget, $audience: AudienceInput, $channels: [Channel!]) {\n    reachability(appID: $app, target: $target, audience: $audience, channels: $channels) {\n      targeted\n      reachable\n      pushDisabled\n    }\n  }\n": typeof types.SendReachabilityDocument,
    "\n  query SendTemplates($app: ID!, $name: String) {\n    templates(first: 100, where: { appID: $app, nameContainsFold: $name }, orderBy: { field: NAME, direction: ASC }) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...TemplateContentFields\n        }\n      }\n    }\n  }\n": typeof types.SendTemplatesDocument,
    "\n  query SendGroups($app: ID!, $name: String) {\n    groups(first: 100, where: { appID: $app, nameContainsFold: $name }, orderBy: { field: NAME, direction: ASC }) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n": typeof types.SendGroupsDocument,
    "\n  query SendPreviewAudience($app: ID!, $audience: AudienceInput!) {\n    previewAudience(appID: $app, audience: $audience)\n  }\n": typeof types.SendPreviewAudienceDocument,
    "\n  mutation SendPushSimple($input: PushSimpleInput!) {\n    pushSimple(input: $input) {\n      id\n    }\n  }\n": typeof types.SendPushSimpleDocument,
    "\n  mutation SendPushTemplate($input: PushTemplateInput!) {\n    pushTemplate(input: $input) {\n      id\n    }\n  }\n": typeof types.SendPushTemplateDocument,
    "\n  mutation SendPushMultiple($input: PushMultipleInput!) {\n    pushMultiple(input: $input) {\n      id\n    }\n  }\n": typeof types.SendPushMultipleDocument,
    "\n  mutation SendPushBroadcast($input: PushBroadcastInput!) {\n    pushBroadcast(input: $input) {\n      id\n    }\n  }\n": typeof types.SendPushBroadcastDocument,
    "\n  query SendTemplate($app: ID!, $name: String!) {\n    templates(first: 1, where: { appID: $app, name: $name }) {\n      edges {\n        node {\n          ...TemplateContentFields\n        }\n      }\n    }\n  }\n": typeof types.SendTemplateDocument,
    "\n  query Viewer {\n    viewer {\n      account {\n        id\n        email\n        admin\n        memberships {\n          appID\n          role\n        }\n      }\n    }\n  }\n": typeof types.ViewerDocument,
};
const documents: Documents = {
    "\n  query PickerDevices($where: DeviceWhereInput!, $first: Int!) {\n    devices(where: $where, first: $first, orderBy: { field: LAST_SEEN_AT, direction: DESC }) {\n      totalCount\n      edges {\n        node {\n          id\n          installationID\n          platform\n          model\n          lastSeenAt\n          online\n          user {\n            id\n            externalID\n          }\n        }\n      }\n    }\n  }\n": types.PickerDevicesDocument,
    "\n  query PickerUsers($where: AppUserWhereInput!, $first: Int!) {\n    appUsers(where: $where, first: $first, orderBy: { field: EXTERNAL_ID, direction: ASC }) {\n      totalCount\n      edges {\n        node {\n          id\n          externalID\n          devices {\n            id\n            platform\n            lastSeenAt\n          }\n        }\n      }\n    }\n  }\n": types.PickerUsersDocument,
    "\n  fragment JobCountsFields on PushCounts {\n    targeted\n    pending\n    sent\n    arrived\n    opened\n    ignored\n    failed\n    expired\n    revoked\n  }\n": types.JobCountsFieldsFragmentDoc,
    "\n  fragment JobUpdateFields on PushJob {\n    id\n    status\n    updatedAt\n    scheduleAt\n    finishedAt\n    error\n    counts {\n      ...JobCountsFields\n    }\n  }\n": types.JobUpdateFieldsFragmentDoc,
    "\n  fragment AllCountsFields on StatCounts {\n    targeted\n    sent\n    arrived\n    opened\n    ignored\n    failed\n    expired\n    revoked\n  }\n": types.AllCountsFieldsFragmentDoc,
    "\n  fragment ReportCountsFields on StatCounts {\n    sent\n    arrived\n    opened\n    ignored\n    failed\n    expired\n  }\n": types.ReportCountsFieldsFragmentDoc,
    "\n  fragment LiveCountsFields on StatCounts {\n    sent\n    arrived\n    opened\n    failed\n  }\n": types.LiveCountsFieldsFragmentDoc,
    "\n  fragment DeliveryStateFields on Delivery {\n    id\n    channel\n    status\n    attempts\n    lastError\n    createdAt\n    sentAt\n    arrivedAt\n    openedAt\n  }\n": types.DeliveryStateFieldsFragmentDoc,
    "\n  fragment GroupFields on Group {\n    id\n    appID\n    name\n    description\n  }\n": types.GroupFieldsFragmentDoc,
    "\n  fragment TemplateContentFields on Template {\n    id\n    name\n    title\n    body\n    variables\n    defaults\n  }\n": types.TemplateContentFieldsFragmentDoc,
    "\n  query AppSwitcher {\n    apps(first: 200, orderBy: { field: NAME, direction: ASC }) {\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n": types.AppSwitcherDocument,
    "\n  query SwitcherCurrentApp($id: ID!) {\n    node(id: $id) {\n      ... on App {\n        id\n        name\n      }\n    }\n  }\n": types.SwitcherCurrentAppDocument,
    "\n  mutation Logout {\n    logout\n  }\n": types.LogoutDocument,
    "\n  mutation AccountChangePassword($input: ChangePasswordInput!) {\n    changePassword(input: $input) {\n      endedSessions\n    }\n  }\n": types.AccountChangePasswordDocument,
    "\n  mutation AccountLogoutEverywhere {\n    logoutEverywhere\n  }\n": types.AccountLogoutEverywhereDocument,
    "\n  query AccountsList($where: AccountWhereInput, $first: Int, $after: Cursor) {\n    accounts(where: $where, first: $first, after: $after, orderBy: { field: CREATED_AT, direction: DESC }) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          email\n          admin\n          lastLoginAt\n          createdAt\n          disabledAt\n          passwordResetExpiresAt\n          memberships {\n            id\n            appID\n            role\n            app {\n              id\n              name\n            }\n          }\n        }\n      }\n    }\n  }\n": types.AccountsListDocument,
    "\n  query AccountsApps {\n    apps(first: 200, orderBy: { field: NAME, direction: ASC }) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n": types.AccountsAppsDocument,
    "\n  mutation AccountsCreate($input: CreateAccountInput!) {\n    createAccount(input: $input) {\n      id\n      email\n      admin\n    }\n  }\n": types.AccountsCreateDocument,
    "\n  mutation AccountsGrant($input: SetMembershipInput!) {\n    setMembership(input: $input) {\n      id\n      role\n      app {\n        name\n      }\n    }\n  }\n": types.AccountsGrantDocument,
    "\n  mutation AccountsReset($id: ID!) {\n    createPasswordReset(accountID: $id) {\n      token\n      expiresAt\n    }\n  }\n": types.AccountsResetDocument,
    "\n  mutation AccountsLogoutEverywhere($id: ID!) {\n    logoutEverywhere(accountID: $id)\n  }\n": types.AccountsLogoutEverywhereDocument,
    "\n  mutation AccountsDisable($id: ID!) {\n    disableAccount(id: $id) {\n      id\n      disabledAt\n    }\n  }\n": types.AccountsDisableDocument,
    "\n  mutation AccountsEnable($id: ID!) {\n    enableAccount(id: $id) {\n      id\n      disabledAt\n    }\n  }\n": types.AccountsEnableDocument,
    "\n  mutation AccountsDelete($id: ID!) {\n    deleteAccount(id: $id)\n  }\n": types.AccountsDeleteDocument,
    "\n  query AnalyticsStats($input: StatsInput!) {\n    stats(input: $input) {\n      at\n      platform\n      channel\n      appVersion\n      kind\n      counts {\n        ...AllCountsFields\n      }\n    }\n  }\n": types.AnalyticsStatsDocument,
    "\n  query AnalyticsTotals($app: ID!, $from: Time!, $to: Time!) {\n    coreIndex(appID: $app, from: $from, to: $to) {\n      pushes\n      counts {\n        ...AllCountsFields\n      }\n    }\n  }\n": types.AnalyticsTotalsDocument,
    "\n  query AnalyticsPushSearch($where: PushJobWhereInput!) {\n    pushJobs(where: $where, first: 10, orderBy: { field: CREATED_AT, direction: DESC }) {\n      edges {\n        node {\n          id\n          taskName\n          msgKey\n          kind\n          status\n          createdAt\n          recurrence {\n            cron\n          }\n          message {\n            title\n          }\n        }\n      }\n    }\n  }\n": types.AnalyticsPushSearchDocument,
    "\n  query AnalyticsCompare($where: PushJobWhereInput!) {\n    pushJobs(where: $where, first: 5) {\n      edges {\n        node {\n          id\n          taskName\n          msgKey\n          kind\n          status\n          createdAt\n          message {\n            title\n          }\n          report {\n            counts {\n              ...AllCountsFields\n            }\n          }\n        }\n      }\n    }\n  }\n": types.AnalyticsCompareDocument,
    "\n  query Apps($after: Cursor, $first: Int) {\n    apps(after: $after, first: $first, orderBy: { field: NAME, direction: ASC }) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          name\n          description\n          appKey\n          createdAt\n        }\n      }\n    }\n  }\n": types.AppsDocument,
    "\n  query AppsInvitations {\n    invitations {\n      id\n    }\n  }\n": types.AppsInvitationsDocument,
    "\n  mutation CreateApp($input: CreateAppInput!) {\n    createApp(input: $input) {\n      id\n    }\n  }\n": types.CreateAppDocument,
    "\n  query AuditLog($appID: ID!, $first: Int, $before: ID) {\n    auditLog(appID: $appID, first: $first, before: $before) {\n      id\n      at\n      actorKind\n      actorID\n      actorLabel\n      action\n      targetType\n      targetID\n      fields\n      address\n    }\n  }\n": types.AuditLogDocument,
    "\n  query ChannelsList($where: ChannelConfigWhereInput, $appID: ID!) {\n    app: node(id: $appID) {\n      ... on App {\n        id\n        quotaPolicy\n      }\n    }\n    channelVendors {\n      channel\n      key\n      name\n      receipts\n      fields {\n        name\n        label\n        help\n        kind\n        required\n        choices\n      }\n    }\n    channelConfigs(where: $where, first: 10) {\n      edges {\n        node {\n          id\n          channel\n          environment\n          summary\n          configError\n          configErrorAt\n          maxPerSecond\n          createdAt\n          updatedAt\n          receiptURL\n          quota {\n            marketingPerDevice\n            day\n            sent\n            held\n            failed\n            devicesAtCap\n          }\n        }\n      }\n    }\n  }\n": types.ChannelsListDocument,
    "\n  mutation ChannelsSet($input: SetChannelConfigInput!) {\n    setChannelConfig(input: $input) {\n      id\n      channel\n    }\n  }\n": types.ChannelsSetDocument,
    "\n  mutation ChannelsDelete($appID: ID!, $channel: Channel!) {\n    deleteChannelConfig(appID: $appID, channel: $channel)\n  }\n": types.ChannelsDeleteDocument,
    "\n  mutation SetQuotaPolicy($id: ID!, $policy: QuotaPolicy!) {\n    updateApp(id: $id, input: { quotaPolicy: $policy }) {\n      id\n      quotaPolicy\n    }\n  }\n": types.SetQuotaPolicyDocument,
    "\n  query DeviceDetail($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on Device {\n        id\n        appID\n        installationID\n        platform\n        appVersion\n        osVersion\n        model\n        brand\n        locale\n        timezone\n        tags\n        pushEnabled\n        lastSeenAt\n        online\n        createdAt\n        updatedAt\n        boundAt\n        user {\n          id\n          externalID\n          groups {\n            id\n            name\n          }\n        }\n        tokens {\n          id\n          channel\n          token\n          status\n          deadReason\n          deadAt\n          createdAt\n          updatedAt\n        }\n      }\n    }\n  }\n": types.DeviceDetailDocument,
    "\n  query DeviceDetailDeliveries($id: ID!, $first: Int, $after: Cursor) {\n    node(id: $id) {\n      __typename\n      ... on Device {\n        id\n        deliveries(first: $first, after: $after, orderBy: { field: CREATED_AT, direction: DESC }) {\n          totalCount\n          pageInfo {\n            hasNextPage\n            endCursor\n          }\n          edges {\n            node {\n              ...DeliveryStateFields\n              jobID\n              job {\n                id\n                kind\n                taskName\n                templateName\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n": types.DeviceDetailDeliveriesDocument,
    "\n  mutation DeviceDetailBind($input: BindUserInput!) {\n    bindUser(input: $input) {\n      id\n      userID\n    }\n  }\n": types.DeviceDetailBindDocument,
    "\n  mutation DeviceDetailUnbind($id: ID!) {\n    unbindUser(deviceID: $id) {\n      id\n      userID\n    }\n  }\n": types.DeviceDetailUnbindDocument,
    "\n  mutation DeviceDetailSetTags($id: ID!, $tags: [String!]!) {\n    setDeviceTags(deviceID: $id, tags: $tags) {\n      id\n      tags\n    }\n  }\n": types.DeviceDetailSetTagsDocument,
    "\n  query DevicesList($where: DeviceWhereInput, $orderBy: DeviceOrder, $first: Int, $after: Cursor) {\n    devices(where: $where, orderBy: $orderBy, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          installationID\n          platform\n          appVersion\n          osVersion\n          model\n          pushEnabled\n          lastSeenAt\n          online\n          createdAt\n          user {\n            id\n            externalID\n          }\n          tokens {\n            id\n            channel\n            status\n          }\n        }\n      }\n    }\n  }\n": types.DevicesListDocument,
    "\n  query GroupsList($where: GroupWhereInput, $first: Int, $after: Cursor) {\n    groups(where: $where, orderBy: { field: NAME, direction: ASC }, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          name\n          description\n          createdAt\n          updatedAt\n          members(first: 0) {\n            totalCount\n          }\n        }\n      }\n    }\n  }\n": types.GroupsListDocument,
    "\n  query GroupsOne($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on Group {\n        ...GroupFields\n      }\n    }\n  }\n": types.GroupsOneDocument,
    "\n  mutation GroupsCreate($input: CreateGroupInput!) {\n    createGroup(input: $input) {\n      id\n    }\n  }\n": types.GroupsCreateDocument,
    "\n  mutation GroupsUpdate($id: ID!, $input: UpdateGroupInput!) {\n    updateGroup(id: $id, input: $input) {\n      id\n    }\n  }\n": types.GroupsUpdateDocument,
    "\n  mutation GroupsDelete($id: ID!) {\n    deleteGroup(id: $id)\n  }\n": types.GroupsDeleteDocument,
    "\n  query Invitations {\n    invitations {\n      id\n      appID\n      appName\n      role\n      invitedBy\n      createdAt\n      expiresAt\n    }\n  }\n": types.InvitationsDocument,
    "\n  mutation AcceptInvitation($id: ID!) {\n    acceptInvitation(id: $id) {\n      id\n      appID\n      role\n    }\n  }\n": types.AcceptInvitationDocument,
    "\n  mutation DeclineInvitation($id: ID!) {\n    declineInvitation(id: $id)\n  }\n": types.DeclineInvitationDocument,
    "\n  query JobAudienceGroups($ids: [ID!]!) {\n    nodes(ids: $ids) {\n      ... on Group {\n        id\n        name\n      }\n    }\n  }\n": types.JobAudienceGroupsDocument,
    "\n  query JobDetailDeliveries($where: DeliveryWhereInput!, $first: Int, $after: Cursor) {\n    deliveries(where: $where, first: $first, after: $after, orderBy: { field: CREATED_AT, direction: DESC }) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...DeliveryStateFields\n          deviceID\n          appUserID\n          msgKey\n          expiresAt\n          device {\n            id\n            platform\n            model\n            installationID\n          }\n        }\n      }\n    }\n  }\n": types.JobDetailDeliveriesDocument,
    "\n  query JobDetail($id: ID!) {\n    node(id: $id) {\n      ... on PushJob {\n        ...JobUpdateFields\n        appID\n        kind\n        createdAt\n        expiresAt\n        ttlSeconds\n        msgKey\n        taskName\n        templateName\n        unknownTargets\n        channels\n        scheduleID\n        target {\n          deviceIDs\n          userIDs\n        }\n        audience {\n          platforms\n          appVersions\n          tags\n          groups\n          bound\n          activeWithinSeconds\n        }\n        recurrence {\n          cron\n          timeZone\n          startAt\n          endAt\n        }\n        message {\n          title\n          body\n          payload\n          uri\n          action\n          silent\n          badge\n          sound\n          imageURL\n          collapseKey\n          priority\n          androidChannelID\n          category\n          classification\n        }\n      }\n    }\n  }\n": types.JobDetailDocument,
    "\n  subscription JobDetailUpdated($id: ID!) {\n    pushJobUpdated(id: $id) {\n      ...JobUpdateFields\n    }\n  }\n": types.JobDetailUpdatedDocument,
    "\n  mutation JobDetailRevoke($id: ID!) {\n    revokePush(id: $id) {\n      ...JobUpdateFields\n    }\n  }\n": types.JobDetailRevokeDocument,
    "\n  mutation JobDetailCancel($id: ID!) {\n    cancelPush(id: $id) {\n      ...JobUpdateFields\n    }\n  }\n": types.JobDetailCancelDocument,
    "\n  query JobDetailReport($id: ID!) {\n    node(id: $id) {\n      ... on PushJob {\n        id\n        byPlatform: report(groupBy: [PLATFORM]) {\n          platform\n          counts {\n            ...ReportCountsFields\n          }\n        }\n        byChannel: report(groupBy: [CHANNEL]) {\n          channel\n          counts {\n            ...ReportCountsFields\n          }\n        }\n      }\n    }\n  }\n": types.JobDetailReportDocument,
    "\n  query JobOccurrences($where: PushJobWhereInput!, $first: Int, $after: Cursor) {\n    pushJobs(where: $where, first: $first, after: $after, orderBy: { field: CREATED_AT, direction: DESC }) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          status\n          createdAt\n          counts {\n            targeted\n          }\n        }\n      }\n    }\n  }\n": types.JobOccurrencesDocument,
    "\n  query JobTimeline($input: StatsInput!) {\n    stats(input: $input) {\n      at\n      counts {\n        sent\n        arrived\n        opened\n        failed\n      }\n    }\n  }\n": types.JobTimelineDocument,
    "\n  query JobsList($where: PushJobWhereInput!, $first: Int, $after: Cursor) {\n    pushJobs(where: $where, first: $first, after: $after, orderBy: { field: CREATED_AT, direction: DESC }) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...JobUpdateFields\n          kind\n          createdAt\n          templateName\n          taskName\n          unknownTargets\n          recurrence {\n            cron\n          }\n          message {\n            title\n            body\n            silent\n          }\n        }\n      }\n    }\n  }\n": types.JobsListDocument,
    "\n  subscription JobsRowUpdated($id: ID!) {\n    pushJobUpdated(id: $id) {\n      ...JobUpdateFields\n    }\n  }\n": types.JobsRowUpdatedDocument,
    "\n  query KeysList($where: APIKeyWhereInput, $first: Int, $after: Cursor) {\n    apiKeys(where: $where, first: $first, after: $after, orderBy: { field: CREATED_AT, direction: DESC }) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          name\n          keyID\n          algorithm\n          createdAt\n          lastUsedAt\n          revokedAt\n        }\n      }\n    }\n  }\n": types.KeysListDocument,
    "\n  mutation KeysCreate($input: CreateAPIKeyInput!) {\n    createAPIKey(input: $input) {\n      apiKey {\n        id\n        name\n        keyID\n        algorithm\n      }\n      secret\n    }\n  }\n": types.KeysCreateDocument,
    "\n  mutation KeysRevoke($id: ID!) {\n    revokeAPIKey(id: $id) {\n      id\n      revokedAt\n    }\n  }\n": types.KeysRevokeDocument,
    "\n  mutation Login($input: LoginInput!) {\n    login(input: $input) {\n      account {\n        id\n      }\n    }\n  }\n": types.LoginDocument,
    "\n  query Overview($app: ID!, $from: Time!, $to: Time!) {\n    node(id: $app) {\n      ... on App {\n        id\n        name\n        appKey\n      }\n    }\n    coreIndex(appID: $app, from: $from, to: $to) {\n      pushes\n      counts {\n        ...AllCountsFields\n      }\n      arrivalRate\n      openRate\n      ignoreRate\n    }\n  }\n": types.OverviewDocument,
    "\n  query RecentMinutes($input: StatsInput!) {\n    stats(input: $input) {\n      at\n      platform\n      channel\n      counts {\n        ...LiveCountsFields\n      }\n    }\n  }\n": types.RecentMinutesDocument,
    "\n  subscription LiveOverview($app: ID!, $groupBy: [StatDimension!]) {\n    liveStats(appID: $app, groupBy: $groupBy) {\n      at\n      minute {\n        at\n        platform\n        channel\n        counts {\n          ...LiveCountsFields\n        }\n      }\n      totals {\n        ...LiveCountsFields\n      }\n    }\n  }\n": types.LiveOverviewDocument,
    "\n  mutation ResetPassword($input: ResetPasswordInput!) {\n    resetPassword(input: $input)\n  }\n": types.ResetPasswordDocument,
    "\n  query SettingsApp($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on App {\n        id\n        name\n        description\n        appKey\n        createdAt\n        updatedAt\n      }\n    }\n  }\n": types.SettingsAppDocument,
    "\n  query SettingsMembers($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on App {\n        id\n        members {\n          id\n          accountID\n          email\n          role\n          since\n          lastLoginAt\n        }\n      }\n    }\n  }\n": types.SettingsMembersDocument,
    "\n  mutation SettingsUpdateApp($id: ID!, $input: UpdateAppInput!) {\n    updateApp(id: $id, input: $input) {\n      id\n      name\n      description\n      updatedAt\n    }\n  }\n": types.SettingsUpdateAppDocument,
    "\n  mutation SettingsDeleteApp($id: ID!) {\n    deleteApp(id: $id)\n  }\n": types.SettingsDeleteAppDocument,
    "\n  mutation SettingsSetMembership($input: SetMembershipInput!) {\n    setMembership(input: $input) {\n      id\n      role\n    }\n  }\n": types.SettingsSetMembershipDocument,
    "\n  query SettingsInvitations($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on App {\n        id\n        invitations {\n          id\n          email\n          role\n          invitedBy\n          createdAt\n          expiresAt\n        }\n      }\n    }\n  }\n": types.SettingsInvitationsDocument,
    "\n  mutation SettingsInvite($input: InviteMemberInput!) {\n    inviteMember(input: $input) {\n      id\n      email\n      role\n    }\n  }\n": types.SettingsInviteDocument,
    "\n  mutation SettingsCancelInvitation($id: ID!) {\n    cancelInvitation(id: $id)\n  }\n": types.SettingsCancelInvitationDocument,
    "\n  mutation SettingsDeleteMembership($id: ID!) {\n    deleteMembership(id: $id)\n  }\n": types.SettingsDeleteMembershipDocument,
    "\n  query TemplatesList($where: TemplateWhereInput, $first: Int, $after: Cursor) {\n    templates(where: $where, orderBy: { field: NAME, direction: ASC }, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...TemplateContentFields\n          updatedAt\n        }\n      }\n    }\n  }\n": types.TemplatesListDocument,
    "\n  query TemplatesOne($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on Template {\n        ...TemplateContentFields\n        appID\n      }\n    }\n  }\n": types.TemplatesOneDocument,
    "\n  mutation TemplatesCreate($input: CreateTemplateInput!) {\n    createTemplate(input: $input) {\n      id\n    }\n  }\n": types.TemplatesCreateDocument,
    "\n  mutation TemplatesUpdate($id: ID!, $input: UpdateTemplateInput!) {\n    updateTemplate(id: $id, input: $input) {\n      id\n    }\n  }\n": types.TemplatesUpdateDocument,
    "\n  mutation TemplatesDelete($id: ID!) {\n    deleteTemplate(id: $id)\n  }\n": types.TemplatesDeleteDocument,
    "\n  query UsersList($where: AppUserWhereInput, $first: Int, $after: Cursor) {\n    appUsers(where: $where, orderBy: { field: EXTERNAL_ID, direction: ASC }, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          externalID\n          createdAt\n          devices {\n            id\n            platform\n            lastSeenAt\n            online\n          }\n          groups {\n            id\n            name\n          }\n        }\n      }\n    }\n  }\n": types.UsersListDocument,
    "\n  query UsersGroup($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on Group {\n        ...GroupFields\n      }\n    }\n  }\n": types.UsersGroupDocument,
    "\n  query UsersLookup($where: AppUserWhereInput, $first: Int) {\n    appUsers(where: $where, first: $first) {\n      edges {\n        node {\n          id\n          externalID\n        }\n      }\n    }\n  }\n": types.UsersLookupDocument,
    "\n  mutation UsersChangeMembers($id: ID!, $input: UpdateGroupInput!) {\n    updateGroup(id: $id, input: $input) {\n      id\n    }\n  }\n": types.UsersChangeMembersDocument,
    "\n  query WebhooksList($where: WebhookWhereInput, $first: Int, $after: Cursor) {\n    webhooks(where: $where, first: $first, after: $after, orderBy: { field: CREATED_AT, direction: ASC }) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          url\n          events\n          enabled\n          createdAt\n        }\n      }\n    }\n  }\n": types.WebhooksListDocument,
    "\n  query WebhooksDeliveries($where: WebhookDeliveryWhereInput, $first: Int, $after: Cursor) {\n    webhookDeliveries(where: $where, first: $first, after: $after, orderBy: { field: CREATED_AT, direction: DESC }) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          webhookID\n          receipts\n          status\n          attempts\n          createdAt\n          updatedAt\n          deliveredAt\n          webhook {\n            id\n            url\n          }\n          attemptLog {\n            at\n            statusCode\n            error\n            durationMS\n          }\n        }\n      }\n    }\n  }\n": types.WebhooksDeliveriesDocument,
    "\n  mutation WebhooksCreate($input: CreateWebhookInput!) {\n    createWebhook(input: $input) {\n      webhook {\n        id\n        url\n      }\n      secret\n    }\n  }\n": types.WebhooksCreateDocument,
    "\n  mutation WebhooksDelete($id: ID!) {\n    deleteWebhook(id: $id)\n  }\n": types.WebhooksDeleteDocument,
    "\n  query SendReachability($app: ID!, $target: PushTarget, $audience: AudienceInput, $channels: [Channel!]) {\n    reachability(appID: $app, target: $target, audience: $audience, channels: $channels) {\n      targeted\n      reachable\n      pushDisabled\n    }\n  }\n": types.SendReachabilityDocument,
    "\n  query SendTemplates($app: ID!, $name: String) {\n    templates(first: 100, where: { appID: $app, nameContainsFold: $name }, orderBy: { field: NAME, direction: ASC }) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...TemplateContentFields\n        }\n      }\n    }\n  }\n": types.SendTemplatesDocument,
    "\n  query SendGroups($app: ID!, $name: String) {\n    groups(first: 100, where: { appID: $app, nameContainsFold: $name }, orderBy: { field: NAME, direction: ASC }) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n": types.SendGroupsDocument,
    "\n  query SendPreviewAudience($app: ID!, $audience: AudienceInput!) {\n    previewAudience(appID: $app, audience: $audience)\n  }\n": types.SendPreviewAudienceDocument,
    "\n  mutation SendPushSimple($input: PushSimpleInput!) {\n    pushSimple(input: $input) {\n      id\n    }\n  }\n": types.SendPushSimpleDocument,
    "\n  mutation SendPushTemplate($input: PushTemplateInput!) {\n    pushTemplate(input: $input) {\n      id\n    }\n  }\n": types.SendPushTemplateDocument,
    "\n  mutation SendPushMultiple($input: PushMultipleInput!) {\n    pushMultiple(input: $input) {\n      id\n    }\n  }\n": types.SendPushMultipleDocument,
    "\n  mutation SendPushBroadcast($input: PushBroadcastInput!) {\n    pushBroadcast(input: $input) {\n      id\n    }\n  }\n": types.SendPushBroadcastDocument,
    "\n  query SendTemplate($app: ID!, $name: String!) {\n    templates(first: 1, where: { appID: $app, name: $name }) {\n      edges {\n        node {\n          ...TemplateContentFields\n        }\n      }\n    }\n  }\n": types.SendTemplateDocument,
    "\n  query Viewer {\n    viewer {\n      account {\n        id\n        email\n        admin\n        memberships {\n          appID\n          role\n        }\n      }\n    }\n  }\n": types.ViewerDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PickerDevices($where: DeviceWhereInput!, $first: Int!) {\n    devices(where: $where, first: $first, orderBy: { field: LAST_SEEN_AT, direction: DESC }) {\n      totalCount\n      edges {\n        node {\n          id\n          installationID\n          platform\n          model\n          lastSeenAt\n          online\n          user {\n            id\n            externalID\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').PickerDevicesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PickerUsers($where: AppUserWhereInput!, $first: Int!) {\n    appUsers(where: $where, first: $first, orderBy: { field: EXTERNAL_ID, direction: ASC }) {\n      totalCount\n      edges {\n        node {\n          id\n          externalID\n          devices {\n            id\n            platform\n            lastSeenAt\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').PickerUsersDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment JobCountsFields on PushCounts {\n    targeted\n    pending\n    sent\n    arrived\n    opened\n    ignored\n    failed\n    expired\n    revoked\n  }\n"): typeof import('./graphql').JobCountsFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment JobUpdateFields on PushJob {\n    id\n    status\n    updatedAt\n    scheduleAt\n    finishedAt\n    error\n    counts {\n      ...JobCountsFields\n    }\n  }\n"): typeof import('./graphql').JobUpdateFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AllCountsFields on StatCounts {\n    targeted\n    sent\n    arrived\n    opened\n    ignored\n    failed\n    expired\n    revoked\n  }\n"): typeof import('./graphql').AllCountsFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ReportCountsFields on StatCounts {\n    sent\n    arrived\n    opened\n    ignored\n    failed\n    expired\n  }\n"): typeof import('./graphql').ReportCountsFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment LiveCountsFields on StatCounts {\n    sent\n    arrived\n    opened\n    failed\n  }\n"): typeof import('./graphql').LiveCountsFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment DeliveryStateFields on Delivery {\n    id\n    channel\n    status\n    attempts\n    lastError\n    createdAt\n    sentAt\n    arrivedAt\n    openedAt\n  }\n"): typeof import('./graphql').DeliveryStateFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment GroupFields on Group {\n    id\n    appID\n    name\n    description\n  }\n"): typeof import('./graphql').GroupFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment TemplateContentFields on Template {\n    id\n    name\n    title\n    body\n    variables\n    defaults\n  }\n"): typeof import('./graphql').TemplateContentFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AppSwitcher {\n    apps(first: 200, orderBy: { field: NAME, direction: ASC }) {\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').AppSwitcherDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SwitcherCurrentApp($id: ID!) {\n    node(id: $id) {\n      ... on App {\n        id\n        name\n      }\n    }\n  }\n"): typeof import('./graphql').SwitcherCurrentAppDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Logout {\n    logout\n  }\n"): typeof import('./graphql').LogoutDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AccountChangePassword($input: ChangePasswordInput!) {\n    changePassword(input: $input) {\n      endedSessions\n    }\n  }\n"): typeof import('./graphql').AccountChangePasswordDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AccountLogoutEverywhere {\n    logoutEverywhere\n  }\n"): typeof import('./graphql').AccountLogoutEverywhereDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AccountsList($where: AccountWhereInput, $first: Int, $after: Cursor) {\n    accounts(where: $where, first: $first, after: $after, orderBy: { field: CREATED_AT, direction: DESC }) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          email\n          admin\n          lastLoginAt\n          createdAt\n          disabledAt\n          passwordResetExpiresAt\n          memberships {\n            id\n            appID\n            role\n            app {\n              id\n              name\n            }\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').AccountsListDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AccountsApps {\n    apps(first: 200, orderBy: { field: NAME, direction: ASC }) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').AccountsAppsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AccountsCreate($input: CreateAccountInput!) {\n    createAccount(input: $input) {\n      id\n      email\n      admin\n    }\n  }\n"): typeof import('./graphql').AccountsCreateDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AccountsGrant($input: SetMembershipInput!) {\n    setMembership(input: $input) {\n      id\n      role\n      app {\n        name\n      }\n    }\n  }\n"): typeof import('./graphql').AccountsGrantDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AccountsReset($id: ID!) {\n    createPasswordReset(accountID: $id) {\n      token\n      expiresAt\n    }\n  }\n"): typeof import('./graphql').AccountsResetDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AccountsLogoutEverywhere($id: ID!) {\n    logoutEverywhere(accountID: $id)\n  }\n"): typeof import('./graphql').AccountsLogoutEverywhereDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AccountsDisable($id: ID!) {\n    disableAccount(id: $id) {\n      id\n      disabledAt\n    }\n  }\n"): typeof import('./graphql').AccountsDisableDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AccountsEnable($id: ID!) {\n    enableAccount(id: $id) {\n      id\n      disabledAt\n    }\n  }\n"): typeof import('./graphql').AccountsEnableDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AccountsDelete($id: ID!) {\n    deleteAccount(id: $id)\n  }\n"): typeof import('./graphql').AccountsDeleteDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AnalyticsStats($input: StatsInput!) {\n    stats(input: $input) {\n      at\n      platform\n      channel\n      appVersion\n      kind\n      counts {\n        ...AllCountsFields\n      }\n    }\n  }\n"): typeof import('./graphql').AnalyticsStatsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AnalyticsTotals($app: ID!, $from: Time!, $to: Time!) {\n    coreIndex(appID: $app, from: $from, to: $to) {\n      pushes\n      counts {\n        ...AllCountsFields\n      }\n    }\n  }\n"): typeof import('./graphql').AnalyticsTotalsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AnalyticsPushSearch($where: PushJobWhereInput!) {\n    pushJobs(where: $where, first: 10, orderBy: { field: CREATED_AT, direction: DESC }) {\n      edges {\n        node {\n          id\n          taskName\n          msgKey\n          kind\n          status\n          createdAt\n          recurrence {\n            cron\n          }\n          message {\n            title\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').AnalyticsPushSearchDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AnalyticsCompare($where: PushJobWhereInput!) {\n    pushJobs(where: $where, first: 5) {\n      edges {\n        node {\n          id\n          taskName\n          msgKey\n          kind\n          status\n          createdAt\n          message {\n            title\n          }\n          report {\n            counts {\n              ...AllCountsFields\n            }\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').AnalyticsCompareDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Apps($after: Cursor, $first: Int) {\n    apps(after: $after, first: $first, orderBy: { field: NAME, direction: ASC }) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          name\n          description\n          appKey\n          createdAt\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').AppsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AppsInvitations {\n    invitations {\n      id\n    }\n  }\n"): typeof import('./graphql').AppsInvitationsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateApp($input: CreateAppInput!) {\n    createApp(input: $input) {\n      id\n    }\n  }\n"): typeof import('./graphql').CreateAppDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditLog($appID: ID!, $first: Int, $before: ID) {\n    auditLog(appID: $appID, first: $first, before: $before) {\n      id\n      at\n      actorKind\n      actorID\n      actorLabel\n      action\n      targetType\n      targetID\n      fields\n      address\n    }\n  }\n"): typeof import('./graphql').AuditLogDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ChannelsList($where: ChannelConfigWhereInput, $appID: ID!) {\n    app: node(id: $appID) {\n      ... on App {\n        id\n        quotaPolicy\n      }\n    }\n    channelVendors {\n      channel\n      key\n      name\n      receipts\n      fields {\n        name\n        label\n        help\n        kind\n        required\n        choices\n      }\n    }\n    channelConfigs(where: $where, first: 10) {\n      edges {\n        node {\n          id\n          channel\n          environment\n          summary\n          configError\n          configErrorAt\n          maxPerSecond\n          createdAt\n          updatedAt\n          receiptURL\n          quota {\n            marketingPerDevice\n            day\n            sent\n            held\n            failed\n            devicesAtCap\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').ChannelsListDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ChannelsSet($input: SetChannelConfigInput!) {\n    setChannelConfig(input: $input) {\n      id\n      channel\n    }\n  }\n"): typeof import('./graphql').ChannelsSetDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ChannelsDelete($appID: ID!, $channel: Channel!) {\n    deleteChannelConfig(appID: $appID, channel: $channel)\n  }\n"): typeof import('./graphql').ChannelsDeleteDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetQuotaPolicy($id: ID!, $policy: QuotaPolicy!) {\n    updateApp(id: $id, input: { quotaPolicy: $policy }) {\n      id\n      quotaPolicy\n    }\n  }\n"): typeof import('./graphql').SetQuotaPolicyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DeviceDetail($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on Device {\n        id\n        appID\n        installationID\n        platform\n        appVersion\n        osVersion\n        model\n        brand\n        locale\n        timezone\n        tags\n        pushEnabled\n        lastSeenAt\n        online\n        createdAt\n        updatedAt\n        boundAt\n        user {\n          id\n          externalID\n          groups {\n            id\n            name\n          }\n        }\n        tokens {\n          id\n          channel\n          token\n          status\n          deadReason\n          deadAt\n          createdAt\n          updatedAt\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').DeviceDetailDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DeviceDetailDeliveries($id: ID!, $first: Int, $after: Cursor) {\n    node(id: $id) {\n      __typename\n      ... on Device {\n        id\n        deliveries(first: $first, after: $after, orderBy: { field: CREATED_AT, direction: DESC }) {\n          totalCount\n          pageInfo {\n            hasNextPage\n            endCursor\n          }\n          edges {\n            node {\n              ...DeliveryStateFields\n              jobID\n              job {\n                id\n                kind\n                taskName\n                templateName\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').DeviceDetailDeliveriesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeviceDetailBind($input: BindUserInput!) {\n    bindUser(input: $input) {\n      id\n      userID\n    }\n  }\n"): typeof import('./graphql').DeviceDetailBindDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeviceDetailUnbind($id: ID!) {\n    unbindUser(deviceID: $id) {\n      id\n      userID\n    }\n  }\n"): typeof import('./graphql').DeviceDetailUnbindDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeviceDetailSetTags($id: ID!, $tags: [String!]!) {\n    setDeviceTags(deviceID: $id, tags: $tags) {\n      id\n      tags\n    }\n  }\n"): typeof import('./graphql').DeviceDetailSetTagsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DevicesList($where: DeviceWhereInput, $orderBy: DeviceOrder, $first: Int, $after: Cursor) {\n    devices(where: $where, orderBy: $orderBy, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          installationID\n          platform\n          appVersion\n          osVersion\n          model\n          pushEnabled\n          lastSeenAt\n          online\n          createdAt\n          user {\n            id\n            externalID\n          }\n          tokens {\n            id\n            channel\n            status\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').DevicesListDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query GroupsList($where: GroupWhereInput, $first: Int, $after: Cursor) {\n    groups(where: $where, orderBy: { field: NAME, direction: ASC }, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          name\n          description\n          createdAt\n          updatedAt\n          members(first: 0) {\n            totalCount\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').GroupsListDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query GroupsOne($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on Group {\n        ...GroupFields\n      }\n    }\n  }\n"): typeof import('./graphql').GroupsOneDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation GroupsCreate($input: CreateGroupInput!) {\n    createGroup(input: $input) {\n      id\n    }\n  }\n"): typeof import('./graphql').GroupsCreateDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation GroupsUpdate($id: ID!, $input: UpdateGroupInput!) {\n    updateGroup(id: $id, input: $input) {\n      id\n    }\n  }\n"): typeof import('./graphql').GroupsUpdateDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation GroupsDelete($id: ID!) {\n    deleteGroup(id: $id)\n  }\n"): typeof import('./graphql').GroupsDeleteDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Invitations {\n    invitations {\n      id\n      appID\n      appName\n      role\n      invitedBy\n      createdAt\n      expiresAt\n    }\n  }\n"): typeof import('./graphql').InvitationsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AcceptInvitation($id: ID!) {\n    acceptInvitation(id: $id) {\n      id\n      appID\n      role\n    }\n  }\n"): typeof import('./graphql').AcceptInvitationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeclineInvitation($id: ID!) {\n    declineInvitation(id: $id)\n  }\n"): typeof import('./graphql').DeclineInvitationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query JobAudienceGroups($ids: [ID!]!) {\n    nodes(ids: $ids) {\n      ... on Group {\n        id\n        name\n      }\n    }\n  }\n"): typeof import('./graphql').JobAudienceGroupsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query JobDetailDeliveries($where: DeliveryWhereInput!, $first: Int, $after: Cursor) {\n    deliveries(where: $where, first: $first, after: $after, orderBy: { field: CREATED_AT, direction: DESC }) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...DeliveryStateFields\n          deviceID\n          appUserID\n          msgKey\n          expiresAt\n          device {\n            id\n            platform\n            model\n            installationID\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').JobDetailDeliveriesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query JobDetail($id: ID!) {\n    node(id: $id) {\n      ... on PushJob {\n        ...JobUpdateFields\n        appID\n        kind\n        createdAt\n        expiresAt\n        ttlSeconds\n        msgKey\n        taskName\n        templateName\n        unknownTargets\n        channels\n        scheduleID\n        target {\n          deviceIDs\n          userIDs\n        }\n        audience {\n          platforms\n          appVersions\n          tags\n          groups\n          bound\n          activeWithinSeconds\n        }\n        recurrence {\n          cron\n          timeZone\n          startAt\n          endAt\n        }\n        message {\n          title\n          body\n          payload\n          uri\n          action\n          silent\n          badge\n          sound\n          imageURL\n          collapseKey\n          priority\n          androidChannelID\n          category\n          classification\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').JobDetailDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription JobDetailUpdated($id: ID!) {\n    pushJobUpdated(id: $id) {\n      ...JobUpdateFields\n    }\n  }\n"): typeof import('./graphql').JobDetailUpdatedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation JobDetailRevoke($id: ID!) {\n    revokePush(id: $id) {\n      ...JobUpdateFields\n    }\n  }\n"): typeof import('./graphql').JobDetailRevokeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation JobDetailCancel($id: ID!) {\n    cancelPush(id: $id) {\n      ...JobUpdateFields\n    }\n  }\n"): typeof import('./graphql').JobDetailCancelDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query JobDetailReport($id: ID!) {\n    node(id: $id) {\n      ... on PushJob {\n        id\n        byPlatform: report(groupBy: [PLATFORM]) {\n          platform\n          counts {\n            ...ReportCountsFields\n          }\n        }\n        byChannel: report(groupBy: [CHANNEL]) {\n          channel\n          counts {\n            ...ReportCountsFields\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').JobDetailReportDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query JobOccurrences($where: PushJobWhereInput!, $first: Int, $after: Cursor) {\n    pushJobs(where: $where, first: $first, after: $after, orderBy: { field: CREATED_AT, direction: DESC }) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          status\n          createdAt\n          counts {\n            targeted\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').JobOccurrencesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query JobTimeline($input: StatsInput!) {\n    stats(input: $input) {\n      at\n      counts {\n        sent\n        arrived\n        opened\n        failed\n      }\n    }\n  }\n"): typeof import('./graphql').JobTimelineDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query JobsList($where: PushJobWhereInput!, $first: Int, $after: Cursor) {\n    pushJobs(where: $where, first: $first, after: $after, orderBy: { field: CREATED_AT, direction: DESC }) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...JobUpdateFields\n          kind\n          createdAt\n          templateName\n          taskName\n          unknownTargets\n          recurrence {\n            cron\n          }\n          message {\n            title\n            body\n            silent\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').JobsListDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription JobsRowUpdated($id: ID!) {\n    pushJobUpdated(id: $id) {\n      ...JobUpdateFields\n    }\n  }\n"): typeof import('./graphql').JobsRowUpdatedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query KeysList($where: APIKeyWhereInput, $first: Int, $after: Cursor) {\n    apiKeys(where: $where, first: $first, after: $after, orderBy: { field: CREATED_AT, direction: DESC }) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          name\n          keyID\n          algorithm\n          createdAt\n          lastUsedAt\n          revokedAt\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').KeysListDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation KeysCreate($input: CreateAPIKeyInput!) {\n    createAPIKey(input: $input) {\n      apiKey {\n        id\n        name\n        keyID\n        algorithm\n      }\n      secret\n    }\n  }\n"): typeof import('./graphql').KeysCreateDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation KeysRevoke($id: ID!) {\n    revokeAPIKey(id: $id) {\n      id\n      revokedAt\n    }\n  }\n"): typeof import('./graphql').KeysRevokeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Login($input: LoginInput!) {\n    login(input: $input) {\n      account {\n        id\n      }\n    }\n  }\n"): typeof import('./graphql').LoginDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Overview($app: ID!, $from: Time!, $to: Time!) {\n    node(id: $app) {\n      ... on App {\n        id\n        name\n        appKey\n      }\n    }\n    coreIndex(appID: $app, from: $from, to: $to) {\n      pushes\n      counts {\n        ...AllCountsFields\n      }\n      arrivalRate\n      openRate\n      ignoreRate\n    }\n  }\n"): typeof import('./graphql').OverviewDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RecentMinutes($input: StatsInput!) {\n    stats(input: $input) {\n      at\n      platform\n      channel\n      counts {\n        ...LiveCountsFields\n      }\n    }\n  }\n"): typeof import('./graphql').RecentMinutesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription LiveOverview($app: ID!, $groupBy: [StatDimension!]) {\n    liveStats(appID: $app, groupBy: $groupBy) {\n      at\n      minute {\n        at\n        platform\n        channel\n        counts {\n          ...LiveCountsFields\n        }\n      }\n      totals {\n        ...LiveCountsFields\n      }\n    }\n  }\n"): typeof import('./graphql').LiveOverviewDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResetPassword($input: ResetPasswordInput!) {\n    resetPassword(input: $input)\n  }\n"): typeof import('./graphql').ResetPasswordDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SettingsApp($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on App {\n        id\n        name\n        description\n        appKey\n        createdAt\n        updatedAt\n      }\n    }\n  }\n"): typeof import('./graphql').SettingsAppDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SettingsMembers($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on App {\n        id\n        members {\n          id\n          accountID\n          email\n          role\n          since\n          lastLoginAt\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').SettingsMembersDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SettingsUpdateApp($id: ID!, $input: UpdateAppInput!) {\n    updateApp(id: $id, input: $input) {\n      id\n      name\n      description\n      updatedAt\n    }\n  }\n"): typeof import('./graphql').SettingsUpdateAppDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SettingsDeleteApp($id: ID!) {\n    deleteApp(id: $id)\n  }\n"): typeof import('./graphql').SettingsDeleteAppDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SettingsSetMembership($input: SetMembershipInput!) {\n    setMembership(input: $input) {\n      id\n      role\n    }\n  }\n"): typeof import('./graphql').SettingsSetMembershipDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SettingsInvitations($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on App {\n        id\n        invitations {\n          id\n          email\n          role\n          invitedBy\n          createdAt\n          expiresAt\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').SettingsInvitationsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SettingsInvite($input: InviteMemberInput!) {\n    inviteMember(input: $input) {\n      id\n      email\n      role\n    }\n  }\n"): typeof import('./graphql').SettingsInviteDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SettingsCancelInvitation($id: ID!) {\n    cancelInvitation(id: $id)\n  }\n"): typeof import('./graphql').SettingsCancelInvitationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SettingsDeleteMembership($id: ID!) {\n    deleteMembership(id: $id)\n  }\n"): typeof import('./graphql').SettingsDeleteMembershipDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TemplatesList($where: TemplateWhereInput, $first: Int, $after: Cursor) {\n    templates(where: $where, orderBy: { field: NAME, direction: ASC }, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...TemplateContentFields\n          updatedAt\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').TemplatesListDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TemplatesOne($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on Template {\n        ...TemplateContentFields\n        appID\n      }\n    }\n  }\n"): typeof import('./graphql').TemplatesOneDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TemplatesCreate($input: CreateTemplateInput!) {\n    createTemplate(input: $input) {\n      id\n    }\n  }\n"): typeof import('./graphql').TemplatesCreateDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TemplatesUpdate($id: ID!, $input: UpdateTemplateInput!) {\n    updateTemplate(id: $id, input: $input) {\n      id\n    }\n  }\n"): typeof import('./graphql').TemplatesUpdateDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TemplatesDelete($id: ID!) {\n    deleteTemplate(id: $id)\n  }\n"): typeof import('./graphql').TemplatesDeleteDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UsersList($where: AppUserWhereInput, $first: Int, $after: Cursor) {\n    appUsers(where: $where, orderBy: { field: EXTERNAL_ID, direction: ASC }, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          externalID\n          createdAt\n          devices {\n            id\n            platform\n            lastSeenAt\n            online\n          }\n          groups {\n            id\n            name\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').UsersListDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UsersGroup($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on Group {\n        ...GroupFields\n      }\n    }\n  }\n"): typeof import('./graphql').UsersGroupDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UsersLookup($where: AppUserWhereInput, $first: Int) {\n    appUsers(where: $where, first: $first) {\n      edges {\n        node {\n          id\n          externalID\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').UsersLookupDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UsersChangeMembers($id: ID!, $input: UpdateGroupInput!) {\n    updateGroup(id: $id, input: $input) {\n      id\n    }\n  }\n"): typeof import('./graphql').UsersChangeMembersDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WebhooksList($where: WebhookWhereInput, $first: Int, $after: Cursor) {\n    webhooks(where: $where, first: $first, after: $after, orderBy: { field: CREATED_AT, direction: ASC }) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          url\n          events\n          enabled\n          createdAt\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').WebhooksListDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WebhooksDeliveries($where: WebhookDeliveryWhereInput, $first: Int, $after: Cursor) {\n    webhookDeliveries(where: $where, first: $first, after: $after, orderBy: { field: CREATED_AT, direction: DESC }) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          webhookID\n          receipts\n          status\n          attempts\n          createdAt\n          updatedAt\n          deliveredAt\n          webhook {\n            id\n            url\n          }\n          attemptLog {\n            at\n            statusCode\n            error\n            durationMS\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').WebhooksDeliveriesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation WebhooksCreate($input: CreateWebhookInput!) {\n    createWebhook(input: $input) {\n      webhook {\n        id\n        url\n      }\n      secret\n    }\n  }\n"): typeof import('./graphql').WebhooksCreateDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation WebhooksDelete($id: ID!) {\n    deleteWebhook(id: $id)\n  }\n"): typeof import('./graphql').WebhooksDeleteDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SendReachability($app: ID!, $target: PushTarget, $audience: AudienceInput, $channels: [Channel!]) {\n    reachability(appID: $app, target: $target, audience: $audience, channels: $channels) {\n      targeted\n      reachable\n      pushDisabled\n    }\n  }\n"): typeof import('./graphql').SendReachabilityDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SendTemplates($app: ID!, $name: String) {\n    templates(first: 100, where: { appID: $app, nameContainsFold: $name }, orderBy: { field: NAME, direction: ASC }) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...TemplateContentFields\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').SendTemplatesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SendGroups($app: ID!, $name: String) {\n    groups(first: 100, where: { appID: $app, nameContainsFold: $name }, orderBy: { field: NAME, direction: ASC }) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').SendGroupsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SendPreviewAudience($app: ID!, $audience: AudienceInput!) {\n    previewAudience(appID: $app, audience: $audience)\n  }\n"): typeof import('./graphql').SendPreviewAudienceDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SendPushSimple($input: PushSimpleInput!) {\n    pushSimple(input: $input) {\n      id\n    }\n  }\n"): typeof import('./graphql').SendPushSimpleDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SendPushTemplate($input: PushTemplateInput!) {\n    pushTemplate(input: $input) {\n      id\n    }\n  }\n"): typeof import('./graphql').SendPushTemplateDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SendPushMultiple($input: PushMultipleInput!) {\n    pushMultiple(input: $input) {\n      id\n    }\n  }\n"): typeof import('./graphql').SendPushMultipleDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SendPushBroadcast($input: PushBroadcastInput!) {\n    pushBroadcast(input: $input) {\n      id\n    }\n  }\n"): typeof import('./graphql').SendPushBroadcastDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SendTemplate($app: ID!, $name: String!) {\n    templates(first: 1, where: { appID: $app, name: $name }) {\n      edges {\n        node {\n          ...TemplateContentFields\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').SendTemplateDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Viewer {\n    viewer {\n      account {\n        id\n        email\n        admin\n        memberships {\n          appID\n          role\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').ViewerDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
