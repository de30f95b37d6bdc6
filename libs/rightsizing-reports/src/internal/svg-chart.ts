import type { ReportModel } from './report-model.js';

const WIDTH = 720;
const BAR_HEIGHT = 18;
const LABEL_WIDTH = 70;

/**
 * Renders the score distribution as an inline SVG bar chart: one horizontal bar per score
 * bucket of ten points, its length proportional to the number of principals in it. The
 * chart contains only numbers computed here, never text from the results.
 */
export function renderScoreChart(model: ReportModel): string {
  const histogram = model.score_histogram;
  const largest = Math.max(1, ...histogram);
  const plotWidth = WIDTH - LABEL_WIDTH - 50;
  const height = histogram.length * (BAR_HEIGHT + 6) + 10;
  const bars = histogram.map((count, index) => {
    const y = 5 + index * (BAR_HEIGHT + 6);
    const width = Math.round((count / largest) * plotWidth);
    const label = index === 9 ? '90–100' : `${index * 10}–${index * 10 + 9}`;
    // Hue from green (low score) to red (high score).
    const hue = 120 - index * 12;
    return (
      `<text x="0" y="${y + 13}" font-size="12" fill="#1d2430">${label}</text>` +
      `<rect x="${LABEL_WIDTH}" y="${y}" width="${width}" height="${BAR_HEIGHT}" fill="hsl(${hue},60%,45%)" data-bucket="${index}" data-count="${count}"></rect>` +
      `<text x="${LABEL_WIDTH + width + 6}" y="${y + 13}" font-size="12" fill="#1d2430">${count}</text>`
    );
  });
  return (
    `<svg id="score-chart" xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" ` +
    `viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="Principals per score range">${bars.join('')}</svg>`
  );
}
