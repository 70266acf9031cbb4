import { onScopeDispose } from 'vue'
import { useRunsStore } from '../stores/runs'
import { useCampaignsStore } from '../stores/campaigns'
import { useNoticesStore } from '../stores/notices'

/**
 * Feeds runs:progress / runs:finished / campaigns:progress into the stores for as long as the
 * calling scope (the app shell) lives, and unsubscribes when it is disposed.
 */
export function useRunEvents(): void {
  const offs: (() => void)[] = []
  try {
    offs.push(useRunsStore().subscribe())
    offs.push(useCampaignsStore().subscribe())
  } catch (err) {
    useNoticesStore().error(err, 'Live run progress is unavailable')
  }
  onScopeDispose(() => offs.forEach((off) => off()))
}
