// The request body the API suites send; it lives with the domain's sample data so the benchmarks
// (bench/lib/journey.ts) can build on it too.
export { validRequestBody } from '../../libs/domain/src/testing/fixtures';
