import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { createAppRouter } from './router'
import { useNoticesStore } from './stores/notices'
import './charts/register'
import './style.css'

const app = createApp(App)
const pinia = createPinia()
app.use(pinia)
app.use(createAppRouter())
// Never a blank screen: anything uncaught becomes a readable notice.
const notices = useNoticesStore(pinia)
app.config.errorHandler = (err) => {
  console.error(err)
  notices.error(err)
}
window.addEventListener('unhandledrejection', (e) => {
  console.error(e.reason)
  notices.error(e.reason)
})
app.mount('#app')
