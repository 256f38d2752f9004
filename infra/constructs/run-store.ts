import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { IDEMPOTENCY_TABLE, RUN_TABLE } from '#shared/aws/tables';
import { transparentToLogicalIds } from './logical-ids.ts';

/**
 * What a run keeps while it runs: the claims that make a duplicate event start no second run, and each run's plan
 * chunks, per-account results and stored report. Both tables are encrypted, on demand and point-in-time recoverable.
 * (Each run's report files live in RunReporting's bucket.)
 */
export class RunStore extends Construct {
  /** Powertools idempotency records: a duplicate event does not start a second run. */
  public readonly idempotencyTable: Table;
  /** Each run's plan chunks, per-account results and stored report. */
  public readonly runTable: Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    transparentToLogicalIds(this);
    const tableDefaults = {
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    };
    this.idempotencyTable = new Table(this, 'IdempotencyTable', {
      ...tableDefaults,
      partitionKey: { name: IDEMPOTENCY_TABLE.partitionKey, type: AttributeType.STRING },
      timeToLiveAttribute: IDEMPOTENCY_TABLE.timeToLive,
    });
    this.runTable = new Table(this, 'RunTable', {
      ...tableDefaults,
      partitionKey: { name: RUN_TABLE.partitionKey, type: AttributeType.STRING },
      sortKey: { name: RUN_TABLE.sortKey, type: AttributeType.STRING },
      timeToLiveAttribute: RUN_TABLE.timeToLive,
    });
  }
}
