import { describe, expect, it } from 'vitest';
import { matchesPattern } from './event-pattern.ts';

// Cases after the examples in EventBridge's pattern and operator documentation (eb-event-patterns.html,
// eb-create-pattern-operators.html), each with one that must not match.
const event = {
  source: 'aws.ec2',
  'detail-type': 'EC2 Instance State-change Notification',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-1234567890abcdef0', 'arn:aws:ec2:us-east-1:123456789012:volume/vol-1'],
  detail: {
    state: 'running',
    'instance-id': 'i-1234567890abcdef0',
    'c-count': 5,
    'd-count': 0.5,
    nothing: null,
    tags: [{ key: 'team', value: 'platform' }, { key: 'env', value: 'prod' }],
    location: 'us-east-1a',
    filename: 'reports/2026/summary.PNG',
    userIdentity: { type: 'AssumedRole', sessionContext: { sessionIssuer: { arn: 'arn:aws:iam::111111111111:role/Admin' } } },
  },
};

describe('matchesPattern', () => {
  it.each([
    ['equal values, every field ANDed', { source: ['aws.ec2'], detail: { state: ['running'] } }, true],
    ['one field that differs', { source: ['aws.ec2'], detail: { state: ['stopped'] } }, false],
    ['a list of values, ORed', { detail: { state: ['pending', 'running'] } }, true],
    ['a field the event lacks', { detail: { zone: ['a'] } }, false],
    ['an event array: any element', { resources: ['arn:aws:ec2:us-east-1:123456789012:volume/vol-1'] }, true],
    ['an event array: no element', { resources: ['arn:aws:ec2:us-east-1:123456789012:volume/vol-2'] }, false],
    ['an array of objects: any element', { detail: { tags: { key: ['env'], value: ['prod'] } } }, true],
    ['an array of objects: values from two elements do not combine', { detail: { tags: { key: ['team'], value: ['prod'] } } }, false],
    ['a number, exactly', { detail: { 'c-count': [5] } }, true],
    ['a number is no string', { detail: { 'c-count': ['5'] } }, false],
    ['null, present and null', { detail: { nothing: [null] } }, true],
    ['null is no missing field', { detail: { zone: [null] } }, false],
    ['prefix', { detail: { location: [{ prefix: 'us-' }] } }, true],
    ['prefix that differs', { detail: { location: [{ prefix: 'eu-' }] } }, false],
    ['prefix, ignoring case', { detail: { location: [{ prefix: { 'equals-ignore-case': 'US-EAST' } }] } }, true],
    ['suffix', { detail: { filename: [{ suffix: '.PNG' }] } }, true],
    ['suffix is case-sensitive', { detail: { filename: [{ suffix: '.png' }] } }, false],
    ['suffix, ignoring case', { detail: { filename: [{ suffix: { 'equals-ignore-case': '.png' } }] } }, true],
    ['equals-ignore-case', { detail: { state: [{ 'equals-ignore-case': 'RUNNING' }] } }, true],
    ['equals-ignore-case that differs', { detail: { state: [{ 'equals-ignore-case': 'RUN' }] } }, false],
    ['wildcard', { detail: { filename: [{ wildcard: 'reports/*/summary.*' }] } }, true],
    ['wildcard over the whole value only', { detail: { filename: [{ wildcard: 'reports/*/summary' }] } }, false],
    ['wildcard with an escaped star', { detail: { filename: [{ wildcard: 'reports/\\*' }] } }, false],
    ['anything-but one value', { detail: { state: [{ 'anything-but': 'stopped' }] } }, true],
    ['anything-but the value itself', { detail: { state: [{ 'anything-but': 'running' }] } }, false],
    ['anything-but a list', { detail: { state: [{ 'anything-but': ['stopped', 'running'] }] } }, false],
    ['anything-but a number', { detail: { 'c-count': [{ 'anything-but': [4, 6] }] } }, true],
    ['anything-but never matches a missing field', { detail: { zone: [{ 'anything-but': 'x' }] } }, false],
    ['anything-but a prefix', { detail: { location: [{ 'anything-but': { prefix: 'us-' } }] } }, false],
    ['anything-but a suffix', { detail: { filename: [{ 'anything-but': { suffix: '.txt' } }] } }, true],
    ['anything-but, ignoring case', { detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['RUNNING'] } }] } }, false],
    ['anything-but a wildcard', { detail: { filename: [{ 'anything-but': { wildcard: '*.PNG' } }] } }, false],
    ['exists: true', { detail: { state: [{ exists: true }] } }, true],
    ['exists: true on a missing field', { detail: { zone: [{ exists: true }] } }, false],
    ['exists: false on a missing field', { detail: { errorCode: [{ exists: false }] } }, true],
    ['exists: false on a present field', { detail: { state: [{ exists: false }] } }, false],
    ['exists: false on a field that holds null', { detail: { nothing: [{ exists: false }] } }, false],
    ['exists: false under a missing parent', { missing: { errorCode: [{ exists: false }] } }, true],
    ['numeric range', { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] } }, true],
    ['numeric range that excludes', { detail: { 'c-count': [{ numeric: ['>', 0, '<', 5] }] } }, false],
    ['numeric equals a decimal', { detail: { 'd-count': [{ numeric: ['=', 0.5] }] } }, true],
    ['numeric never matches a string', { detail: { state: [{ numeric: ['>', 0] }] } }, false],
    ['$or, one branch', { detail: { $or: [{ state: ['stopped'] }, { 'c-count': [{ numeric: ['>', 4] }] }] } }, true],
    ['$or, no branch', { detail: { $or: [{ state: ['stopped'] }, { 'c-count': [{ numeric: ['>', 9] }] }] } }, false],
    ['$or with a sibling that fails', { source: ['aws.s3'], $or: [{ detail: { state: ['running'] } }, { resources: ['x'] }] }, false],
    [
      '$or with anything-but on the session issuer (the contact-change rule)',
      { detail: { $or: [{ userIdentity: { sessionContext: { sessionIssuer: { arn: [{ 'anything-but': ['arn:aws:iam::111111111111:role/Admin'] }] } } } }, { userIdentity: { type: [{ 'anything-but': ['AssumedRole'] }] } }] } },
      false,
    ],
    ['a nested pattern against a scalar', { detail: { state: { inner: ['x'] } } }, false],
    ['a value list against an object', { detail: { userIdentity: ['AssumedRole'] } }, false],
  ])('%s', (_, pattern, expected) => {
    expect(matchesPattern(pattern, event)).toBe(expected);
  });

  it.each([
    ['an unknown operator', { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } }, 'unsupported operator cidr'],
    ['a scalar where a list belongs', { source: 'aws.ec2' }, "the pattern's source must be an array"],
    ['numeric with an odd list', { detail: { 'c-count': [{ numeric: ['>'] }] } }, 'numeric takes operator and number pairs'],
    ['$or with one branch', { $or: [{ source: ['aws.ec2'] }] }, '$or must list at least two patterns'],
    ['exists that is not a boolean', { detail: { state: [{ exists: 'yes' }] } }, 'exists takes true or false'],
  ])('refuses %s rather than guess', (_, pattern, message) => {
    expect(() => matchesPattern(pattern, event)).toThrow(message);
  });
});
