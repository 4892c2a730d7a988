import { Path, type Scenario } from '../scenario.js'

/** Webhook subscriptions are only read: the suite never creates, changes or deletes one. */
export const subscriptionsScenario: Scenario = {
  name: 'webhook subscriptions',
  plan: () => ['read the webhook subscription list (its keys are validated, never printed)'],
  async run (s) {
    await s.check('the subscription list answers {subscriptions: [...]}', async (t) => {
      const body = t.success(await t.call({ path: Path.listWebhooks }))
      t.ok(Array.isArray(body.subscriptions), '$.subscriptions: expected an array')
    })
  }
}
