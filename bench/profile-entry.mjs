// Starts the built server from its separate modules (dist/main.js) rather than the bundle, so that a
// CPU profile names each frame's own file: bench/profile.ts sorts the time by file.
import { main } from '../dist/main.js'

main(process.argv.slice(2), process.env)
