/**
 * Routes: one page per screen. Hash history works both from file:// (desktop) and behind the web
 * harness.
 */
import type { Component } from 'vue'
import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router'
import HomePage from './pages/HomePage.vue'

export const routes: RouteRecordRaw[] = [
  { path: '/', name: 'home', component: HomePage, meta: { title: 'Start', key: '1' } },
  { path: '/layouts/:id?', name: 'layouts', component: () => import('./pages/LayoutsPage.vue'), meta: { title: 'Layouts', key: '2' } },
  { path: '/run', name: 'run', component: () => import('./pages/RunPage.vue'), meta: { title: 'Run & compare', key: '3' } },
  { path: '/sweep', name: 'sweep', component: () => import('./pages/SweepPage.vue'), meta: { title: 'Sweep', key: '4' } },
  { path: '/runs', name: 'runs', component: () => import('./pages/RunsPage.vue'), meta: { title: 'Saved runs', key: '5' } },
  { path: '/compare', name: 'compare', component: () => import('./pages/ComparePage.vue'), meta: { title: 'Compare', key: '6' } },
  { path: '/validation', name: 'validation', component: () => import('./pages/ValidationPage.vue'), meta: { title: 'Validation', key: '8' } },
  // docs/REPORT.md and docs/VALIDATION.md (docs:get); the tab opens the report
  { path: '/docs', redirect: '/docs/report' },
  { path: '/docs/:name', name: 'docs', component: () => import('./pages/DocsPage.vue'), meta: { title: 'Docs', key: '9', tabPath: '/docs/report' } },
  { path: '/:pathMatch(.*)*', redirect: '/' }
]

// Screen 3 (timeline) is written separately: its route appears as soon as pages/TimelinePage.vue
// exists (a glob that matches no file is empty), and the run results link to it as /timeline?run=<id>.
const timelinePage = import.meta.glob<{ default: Component }>('./pages/TimelinePage.vue')['./pages/TimelinePage.vue']
if (timelinePage) routes.splice(routes.length - 1, 0, { path: '/timeline', name: 'timeline', component: timelinePage, meta: { title: 'Timeline', key: '7' } })

export function createAppRouter() {
  return createRouter({ history: createWebHashHistory(), routes })
}
