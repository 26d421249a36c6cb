// GraphQL documents of the monitor page's shown range: its chart, figures and results, for one location or all
// (`to` null is now, `location` null every location).
import { gql } from '@urql/core';
import { CheckResultFields } from './documents.ts';
import type * as Generated from './generated.ts';

export type RangeVariables = Generated.RangeFiguresQueryVariables;
export type RangeFigures = Generated.RangeFiguresQuery['monitorStats'];

export const RangeFiguresQuery = gql<Generated.RangeFiguresQuery, Generated.RangeFiguresQueryVariables>`
  query RangeFigures($id: ID!, $from: DateTime!, $to: DateTime, $location: String) {
    monitorStats(id: $id, from: $from, to: $to, location: $location) {
      availability checks failures latency { avg p50 p95 p99 }
    }
  }
`;

/** The chart of ranges longer than an hour: buckets of the stats series instead of every result. */
export const RangeSeriesQuery = gql<Generated.RangeSeriesQuery, Generated.RangeSeriesQueryVariables>`
  query RangeSeries($id: ID!, $from: DateTime!, $to: DateTime, $location: String, $resolutionSeconds: Int!) {
    monitorStats(id: $id, from: $from, to: $to, location: $location) {
      series(resolutionSeconds: $resolutionSeconds) { start checks failures latencyAvg latencyMin latencyMax }
    }
  }
`;

/** Every result of a range up to an hour, 1,000 a page. */
export const RangeResultsQuery = gql<Generated.RangeResultsQuery, Generated.RangeResultsQueryVariables>`
  query RangeResults($id: ID!, $from: DateTime!, $to: DateTime, $location: String, $after: String) {
    monitor(id: $id) {
      results(from: $from, to: $to, location: $location, first: 1000, after: $after) {
        nodes { checkedAt latencyMs isUp location }
        pageInfo { endCursor hasNextPage }
      }
    }
  }
`;

/** The latest results of the range (the table and the phase chart), newest first. */
export const RecentResultsQuery = gql<Generated.RecentResultsQuery, Generated.RecentResultsQueryVariables>`
  query RecentResults($id: ID!, $from: DateTime!, $to: DateTime, $location: String) {
    monitor(id: $id) {
      results(from: $from, to: $to, location: $location, first: 50) { nodes { ...CheckResult } }
    }
  }
  ${CheckResultFields}
`;

/** The locations that checked the monitor lately, read from its latest results. */
export const ResultLocationsQuery = gql<Generated.ResultLocationsQuery, Generated.ResultLocationsQueryVariables>`
  query ResultLocations($id: ID!) { monitor(id: $id) { results(first: 200) { nodes { location } } } }
`;
