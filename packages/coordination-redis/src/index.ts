export {
  createRedisCoordination,
  type RedisCoordinationBackend,
  type RedisCoordinationOptions,
} from './redis-coordination.js';
