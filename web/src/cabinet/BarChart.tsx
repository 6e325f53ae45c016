import { Group, Text } from '@mantine/core';
import { useElementSize } from '@mantine/hooks';

/** One series of bars: its name for the legend, its colour, and a value per label (null = none). */
export type Series = { name: string; color: string; values: (number | null)[] };

/**
 * A grouped bar chart in plain SVG, scaled to its container's width (it works at 375 px). The
 * numbers only position the bars; the exact figures are in the table beside every chart.
 */
export function BarChart(props: { labels: string[]; series: Series[]; title: string; height?: number }) {
  const { ref, width: measured } = useElementSize();
  const height = props.height ?? 220;
  const width = Math.max(280, Math.round(measured) || 720);
  const pad = { top: 10, bottom: 28, left: 8, right: 8 };
  const max = Math.max(1, ...props.series.flatMap((s) => s.values.map((v) => Math.abs(v ?? 0))));
  const slot = (width - pad.left - pad.right) / Math.max(1, props.labels.length);
  const bar = Math.max(2, (slot * 0.8) / Math.max(1, props.series.length));
  const plot = height - pad.top - pad.bottom;
  return (
    <figure style={{ margin: 0 }} ref={ref}>
      <svg
        viewBox={`0 0 ${width} ${height}`}
        width="100%"
        height={height}
        role="img"
        aria-label={props.title}
        style={{ display: 'block' }}
      >
        <line
          x1={pad.left}
          x2={width - pad.right}
          y1={pad.top + plot}
          y2={pad.top + plot}
          stroke="var(--mantine-color-gray-4)"
        />
        {props.labels.map((label, i) => {
          const x0 = pad.left + i * slot + slot * 0.1;
          return (
            <g key={label}>
              {props.series.map((s, j) => {
                const v = Math.max(0, s.values[i] ?? 0);
                const h = (v / max) * plot;
                return (
                  <rect
                    key={s.name}
                    x={x0 + j * bar}
                    y={pad.top + plot - h}
                    width={bar - 1}
                    height={h}
                    fill={s.color}
                    rx={1}
                  />
                );
              })}
              {(slot >= 44 || i % 2 === 0) && (
                <text
                  x={pad.left + i * slot + slot / 2}
                  y={height - 8}
                  textAnchor="middle"
                  fontSize={width < 500 ? 10 : 12}
                  fill="var(--mantine-color-gray-7)"
                >
                  {label}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption>
        <Group gap="md" mt={4}>
          {props.series.map((s) => (
            <Group key={s.name} gap={6}>
              <span
                aria-hidden
                style={{
                  display: 'inline-block',
                  width: 12,
                  height: 12,
                  background: s.color,
                  borderRadius: 2,
                }}
              />
              <Text size="xs">{s.name}</Text>
            </Group>
          ))}
        </Group>
      </figcaption>
    </figure>
  );
}
