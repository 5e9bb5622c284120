import { CHANGE_TABLE_WIDTH, formatChangeTable } from './changeTable';

const queue = {
  action: 'add',
  logicalResourceId: 'Queue',
  resourceType: 'AWS::SQS::Queue',
  replacement: '-',
};
const listener = {
  action: 'modify',
  logicalResourceId: 'HttpsListener',
  resourceType: 'AWS::ElasticLoadBalancingV2::Listener',
  replacement: 'conditional',
};

describe('formatChangeTable', () => {
  it.each([
    [
      'rows that fit: one aligned line each, descriptions inline',
      [queue],
      { Queue: 'Work queue' },
      [
        'Action  Replacement  Logical ID  Type             Description',
        'add     -            Queue       AWS::SQS::Queue  Work queue',
      ],
    ],
    [
      'a table too wide: each row on one line, cells two spaces apart, a long description continued below',
      [queue, listener],
      {
        Queue: 'Work queue',
        HttpsListener:
          'HTTPS listener on port 443 with the ACM certificate, forwarding to the target group and redirecting plain HTTP',
      },
      [
        'Action  Replacement  Logical ID  Type  Description',
        'add  -  Queue  AWS::SQS::Queue  Work queue',
        'modify  conditional  HttpsListener  AWS::ElasticLoadBalancingV2::Listener  HTTPS listener on port',
        '    443 with the ACM certificate, forwarding to the target group and redirecting plain HTTP',
      ],
    ],
    [
      'no descriptions',
      [listener],
      {},
      [
        'Action  Replacement  Logical ID     Type                                   Description',
        'modify  conditional  HttpsListener  AWS::ElasticLoadBalancingV2::Listener',
      ],
    ],
  ])('prints %s', (_case, rows, descriptions, lines) => {
    const printed = formatChangeTable(rows, descriptions);
    expect(printed).toEqual(lines);
    for (const line of printed)
      expect(line.length).toBeLessThanOrEqual(CHANGE_TABLE_WIDTH);
  });
});
