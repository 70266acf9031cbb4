/** The ECharts parts eCS Lab uses, registered once (tree-shaken: nothing else is bundled). */
import { use } from 'echarts/core'
import { CanvasRenderer, SVGRenderer } from 'echarts/renderers'
import { BarChart, CustomChart, LineChart, ParallelChart, ScatterChart } from 'echarts/charts'
import { GridComponent, LegendComponent, MarkAreaComponent, MarkLineComponent, ParallelComponent, TooltipComponent } from 'echarts/components'

use([CanvasRenderer, SVGRenderer, BarChart, LineChart, CustomChart, ParallelChart, ScatterChart, GridComponent, LegendComponent, TooltipComponent, MarkLineComponent, MarkAreaComponent, ParallelComponent])
