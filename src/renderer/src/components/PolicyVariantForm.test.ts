// @vitest-environment happy-dom
/** PolicyVariantForm: widgets from the catalog's params schema, only non-default values emitted, readable problems. */
import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import PolicyVariantForm from './PolicyVariantForm.vue'
import type { PolicyInfo } from '../../../shared/scenario'

const policies: PolicyInfo[] = [
  { id: 'kvm', title: 'KVM', description: '', params: { type: 'object', properties: {} } },
  {
    id: 'ecs', title: 'eCS', description: '',
    params: {
      type: 'object',
      properties: {
        veto: { default: true, type: 'boolean', description: 'host veto' },
        vetoCap: { default: null, anyOf: [{ type: 'integer', minimum: 1, maximum: 1000000 }, { type: 'null' }] },
        annotate: { default: ['spinlock', 'mutex'], type: 'array', items: { type: 'string', enum: ['spinlock', 'mutex'] } },
        boost: { default: 'none', type: 'string', enum: ['none', 'nice'] }
      }
    }
  }
]

describe('PolicyVariantForm', () => {
  it('offers only policies with parameters and builds one widget per parameter', () => {
    const w = mount(PolicyVariantForm, { props: { policies, existing: [] } })
    expect(w.findAll('[data-testid=variant-policy] option').map((o) => o.text())).toEqual(['ecs'])
    expect(w.find('[data-testid=param-veto]').attributes('type')).toBe('checkbox')
    expect(w.find('[data-testid=param-boost]').element.tagName).toBe('SELECT')
    expect(w.find('[data-testid=param-vetoCap-unbounded]').exists()).toBe(true)
    expect(w.find('[data-testid=param-annotate-mutex]').exists()).toBe(true)
    // every value at its default: nothing to add
    expect(w.find('[data-testid=variant-add]').attributes('disabled')).toBeDefined()
    expect(w.find('[data-testid=variant-problem]').text()).toMatch(/plain ecs/)
  })

  it('emits only the non-default values, and explains an out-of-range number', async () => {
    const w = mount(PolicyVariantForm, { props: { policies, existing: [{ id: 'ecs', params: { boost: 'nice' } }] } })
    await w.find('[data-testid=param-vetoCap-unbounded]').setValue(false)
    const cap = w.find('[data-testid=param-vetoCap]')
    await cap.setValue('0')
    expect(w.find('[data-testid=variant-problem]').text()).toBe('vetoCap: 0 is out of range (allowed: 1 to 1000000 or unbounded)')
    await cap.setValue('4')
    expect(w.find('[data-testid=variant-add]').text()).toBe('Add ecs {vetoCap: 4}')
    await w.find('[data-testid=variant-add]').trigger('click')
    expect(w.emitted('add')).toEqual([[{ id: 'ecs', params: { vetoCap: 4 } }]])
    // a variant already in the list is not added twice
    await w.find('[data-testid=param-vetoCap-unbounded]').setValue(true)
    await w.find('[data-testid=param-boost]').setValue('nice')
    expect(w.find('[data-testid=variant-problem]').text()).toMatch(/already in the list/)
    await w.find('[data-testid=param-annotate-mutex]').setValue(false)
    expect(w.find('[data-testid=variant-add]').text()).toBe("Add ecs {annotate: ['spinlock'], boost: 'nice'}")
  })
})
