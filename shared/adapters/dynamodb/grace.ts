import { graceTokensLeft } from '#shared/domain/grace-ledger.js';
import type { GraceStorePort } from '#shared/domain/ports.js';
import { parseGrace } from './items.js';
import { getItem, landed, Repository, update } from './repository.js';
import { keys } from './table.js';

/** The grace ledger (entity `grace`): tokens a member spent in one month, `GRACE#<memberId>#<YYYY-MM>`. */
export class DynamoDbGrace extends Repository implements GraceStorePort {
  async spendGraceToken(
    partnershipId: string,
    memberId: string,
    month: string,
    allowance: number,
  ): Promise<number | undefined> {
    let spent = allowance;
    const spentOne = await landed(
      update(this, {
        Key: keys.grace(partnershipId, memberId, month),
        UpdateExpression: 'SET spent = if_not_exists(spent, :zero) + :one, entity = :entity, v = :v',
        ConditionExpression: '(attribute_not_exists(spent) AND :allowance > :zero) OR spent < :allowance',
        ExpressionAttributeValues: {
          ':zero': 0,
          ':one': 1,
          ':allowance': allowance,
          ':entity': 'grace',
          ':v': 1,
        },
        ReturnValues: 'UPDATED_NEW',
      }).then((result) => {
        spent = Number(result.Attributes?.spent ?? allowance);
      }),
    );
    return spentOne ? graceTokensLeft(allowance, spent) : undefined;
  }

  async graceSpent(partnershipId: string, memberId: string, month: string): Promise<number> {
    const item = await getItem(this, keys.grace(partnershipId, memberId, month));
    return item ? parseGrace(item).spent : 0;
  }
}
