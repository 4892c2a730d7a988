/** How many timers the process has armed: a test compares it before and after, to show none was left behind. */
export const armedTimers = (): number => process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length
