// uPlot and its styles, loaded on demand by the chart (kept out of the list's first download).
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export default uPlot;
