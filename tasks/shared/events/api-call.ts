import { z } from 'zod';
import { eventObject, eventSchema } from './envelope.ts';

/**
 * A management API call that CloudTrail delivered to EventBridge. Read-only calls never arrive, and write calls only
 * where a trail (or the organization trail) records management events.
 * https://docs.aws.amazon.com/eventbridge/latest/ref/events-structure-cloudtrail.html
 */
export const CLOUDTRAIL_API_CALL = 'AWS API Call via CloudTrail';

const arnSchema = z.string({ error: 'must be a string' }).regex(/^arn:aws[a-z-]*:(iam|sts)::\d{12}:[\w+=,.@/-]+$/, 'must be an IAM or STS ARN');

/**
 * Who made the call: the role behind an assumed-role session (the session's own ARN changes with every session), else
 * the principal itself. https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html
 */
const userIdentity = eventObject({
  arn: arnSchema.optional(),
  sessionContext: eventObject({ sessionIssuer: eventObject({ arn: arnSchema.optional() }).optional() }).optional(),
}).optional();

/** The API calls (one, or several of one shape) of one service, their requestParameters (and any other detail fields they need) shaped by the caller. */
export const apiCallEvent = <S extends z.ZodRawShape, D extends z.ZodRawShape = Record<never, never>>(source: string, eventNames: readonly string[], requestParameters: S, detail?: D) =>
  eventSchema({
    source,
    detailType: CLOUDTRAIL_API_CALL,
    detail: eventObject({
      ...(detail as D),
      eventName: z.literal(eventNames, { error: `must be ${eventNames.join(' or ')}` }),
      eventTime: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 time' }),
      userIdentity,
      // A call AWS refused changed nothing; CloudTrail records it with its error code.
      errorCode: z.string({ error: 'must be a string' }).optional(),
      requestParameters: eventObject(requestParameters),
    }),
  });

// A call AWS refused changed nothing: CloudTrail records it with an errorCode, which a rule matches with exists.
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
export const CALL_SUCCEEDED = { errorCode: [{ exists: false }] };

/** An API call's CloudTrail facts that decide whether it starts a run at all. */
export interface ApiCallFacts {
  /** The role (or user) that made the call: the enforcer's own writers start nothing. */
  readonly actor?: string;
  /** CloudTrail's errorCode: AWS refused the call, so nothing changed. */
  readonly callFailed?: string;
}

type ApiCallDetail = { userIdentity?: { arn?: string | undefined; sessionContext?: { sessionIssuer?: { arn?: string | undefined } | undefined } | undefined } | undefined };

/** The role (or user) that made the call, compared with the enforcer's own writers. */
export const actorOf = (detail: ApiCallDetail): string | undefined => detail.userIdentity?.sessionContext?.sessionIssuer?.arn ?? detail.userIdentity?.arn;
