// The few Mocha globals the browser tests use (@types/mocha is not installed).
declare function describe(title: string, fn: () => void): void;
declare function it(title: string, fn: () => void | Promise<unknown>): void;
declare function beforeEach(fn: () => void | Promise<unknown>): void;
declare function afterEach(fn: () => void | Promise<unknown>): void;
