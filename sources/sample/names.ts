/**
 * Word lists for made-up people, schools, clubs and places in the sample universe.
 * Nothing here names a real club; people's names are common given names and surnames recombined.
 */

export const US_FIRST = [
  'Aaron', 'Adam', 'Alex', 'Andrew', 'Austin', 'Blake', 'Brandon', 'Brady', 'Brett', 'Bryce', 'Caleb', 'Cameron',
  'Carson', 'Carter', 'Chase', 'Chris', 'Cody', 'Cole', 'Colin', 'Connor', 'Corey', 'Dalton', 'Daniel', 'David',
  'Dylan', 'Eli', 'Eric', 'Ethan', 'Evan', 'Garrett', 'Gavin', 'Grant', 'Gunnar', 'Hunter', 'Isaac', 'Jack',
  'Jacob', 'Jake', 'James', 'Jared', 'Jason', 'Jordan', 'Josh', 'Justin', 'Kyle', 'Landon', 'Logan', 'Luke',
  'Mason', 'Matt', 'Max', 'Michael', 'Mitchell', 'Nate', 'Nick', 'Noah', 'Owen', 'Parker', 'Peyton', 'Quinn',
  'Reid', 'Riley', 'Ryan', 'Sam', 'Sean', 'Seth', 'Spencer', 'Trevor', 'Tyler', 'Wade', 'Will', 'Zach',
] as const;

export const US_LAST = [
  'Adams', 'Allen', 'Bailey', 'Baker', 'Barnes', 'Bell', 'Bennett', 'Brooks', 'Brown', 'Bryant', 'Butler', 'Campbell',
  'Carter', 'Clark', 'Coleman', 'Collins', 'Cook', 'Cooper', 'Davis', 'Dixon', 'Edwards', 'Ellis', 'Evans', 'Fisher',
  'Foster', 'Gibson', 'Graham', 'Gray', 'Green', 'Griffin', 'Hall', 'Harper', 'Harris', 'Hayes', 'Henderson',
  'Hughes', 'Jackson', 'James', 'Jenkins', 'Johnson', 'Jones', 'Kelly', 'Kennedy', 'King', 'Lewis', 'Long',
  'Marshall', 'Martin', 'Mason', 'Miller', 'Mitchell', 'Moore', 'Morgan', 'Murphy', 'Myers', 'Nelson', 'Parker',
  'Patterson', 'Perry', 'Phillips', 'Porter', 'Powell', 'Price', 'Reed', 'Reynolds', 'Richardson', 'Roberts',
  'Robinson', 'Rogers', 'Russell', 'Sanders', 'Scott', 'Shaw', 'Simmons', 'Smith', 'Stewart', 'Sullivan', 'Taylor',
  'Thomas', 'Thompson', 'Turner', 'Walker', 'Wallace', 'Ward', 'Warren', 'Watson', 'West', 'White', 'Williams',
  'Wilson', 'Wood', 'Wright', 'Young',
] as const;

export const LATIN_FIRST = [
  'Adrian', 'Alejandro', 'Andres', 'Angel', 'Anthony', 'Carlos', 'Cristian', 'Daniel', 'Deivi', 'Diego', 'Eduardo',
  'Elvis', 'Emmanuel', 'Enrique', 'Felix', 'Francisco', 'Gabriel', 'Geraldo', 'Gregory', 'Hector', 'Jesus', 'Jhonny',
  'Jorge', 'Jose', 'Juan', 'Julio', 'Leonel', 'Luis', 'Manuel', 'Marco', 'Miguel', 'Oneil', 'Oscar', 'Pedro',
  'Rafael', 'Ramon', 'Ronny', 'Samuel', 'Victor', 'Wander', 'Wilmer', 'Yordan',
] as const;

export const LATIN_LAST = [
  'Abreu', 'Acuna', 'Alvarez', 'Arias', 'Castillo', 'Castro', 'Cruz', 'De La Cruz', 'Diaz', 'Espinal', 'Feliz',
  'Fernandez', 'Garcia', 'Gomez', 'Gonzalez', 'Guerrero', 'Gutierrez', 'Hernandez', 'Jimenez', 'Lopez', 'Marte',
  'Martinez', 'Mejia', 'Mendoza', 'Morales', 'Nunez', 'Ortiz', 'Pena', 'Perez', 'Polanco', 'Ramirez', 'Reyes',
  'Rivera', 'Rodriguez', 'Rojas', 'Rosario', 'Sanchez', 'Santana', 'Soto', 'Suarez', 'Tejada', 'Torres', 'Vargas',
  'Vasquez', 'Vizcaino',
] as const;

/** Birth places of US-born players: city and state code. */
export const US_PLACES = [
  ['San Diego', 'CA'], ['Sacramento', 'CA'], ['Fresno', 'CA'], ['Houston', 'TX'], ['Dallas', 'TX'], ['Austin', 'TX'],
  ['Tampa', 'FL'], ['Miami', 'FL'], ['Orlando', 'FL'], ['Atlanta', 'GA'], ['Macon', 'GA'], ['Phoenix', 'AZ'],
  ['Tucson', 'AZ'], ['Raleigh', 'NC'], ['Charlotte', 'NC'], ['Nashville', 'TN'], ['Baton Rouge', 'LA'],
  ['Oklahoma City', 'OK'], ['Chicago', 'IL'], ['Columbus', 'OH'], ['Seattle', 'WA'], ['Las Vegas', 'NV'],
  ['Denver', 'CO'], ['Richmond', 'VA'], ['Birmingham', 'AL'], ['Louisville', 'KY'], ['Newark', 'NJ'],
] as const;

/** Birth countries of internationally signed players, with a few cities each; weights follow real signing volumes. */
export const INTERNATIONAL = [
  { country: 'Dominican Republic', weight: 45, cities: ['Santo Domingo', 'San Pedro de Macoris', 'Bani', 'Santiago', 'La Romana'] },
  { country: 'Venezuela', weight: 30, cities: ['Maracaibo', 'Caracas', 'Valencia', 'Barquisimeto', 'Puerto Cabello'] },
  { country: 'Cuba', weight: 6, cities: ['Havana', 'Cienfuegos', 'Santiago de Cuba'] },
  { country: 'Colombia', weight: 5, cities: ['Cartagena', 'Barranquilla'] },
  { country: 'Panama', weight: 4, cities: ['Panama City', 'Colon'] },
  { country: 'Mexico', weight: 4, cities: ['Hermosillo', 'Culiacan', 'Mexicali'] },
  { country: 'Curacao', weight: 2, cities: ['Willemstad'] },
  { country: 'Taiwan', weight: 2, cities: ['Taipei', 'Tainan'] },
  { country: 'Australia', weight: 2, cities: ['Sydney', 'Perth'] },
] as const;

export const SCHOOL_STEMS = [
  'Coastal', 'Western', 'Eastern', 'Central', 'Northern', 'Southern', 'Prairie', 'Valley', 'Lakeshore', 'Riverside',
  'Mountain', 'Gulf', 'Bayou', 'Desert', 'Pinecrest', 'Harbor', 'Red Rock', 'Mesa', 'Cedar', 'Highland',
] as const;

/** Thirty invented major-league clubs: location, nickname, abbreviation. */
export const CLUBS = [
  ['Portland', 'Pioneers', 'POR'], ['Nashville', 'Nighthawks', 'NSH'], ['Charlotte', 'Comets', 'CHA'],
  ['Austin', 'Armadillos', 'AUS'], ['Montreal', 'Voyageurs', 'MTL'], ['Indianapolis', 'Ironmen', 'IND'],
  ['Columbus', 'Clippers', 'COL'], ['Salt Lake', 'Sentinels', 'SLC'], ['Raleigh', 'Redtails', 'RAL'],
  ['Orlando', 'Osprey', 'ORL'], ['Sacramento', 'Stags', 'SAC'], ['San Antonio', 'Missions', 'SAT'],
  ['Louisville', 'Sluggers', 'LOU'], ['Oklahoma City', 'Outlaws', 'OKC'], ['Memphis', 'Mudcats', 'MEM'],
  ['Buffalo', 'Bison', 'BUF'], ['Omaha', 'Oracles', 'OMA'], ['Vancouver', 'Vipers', 'VAN'],
  ['Albuquerque', 'Aces', 'ABQ'], ['Richmond', 'Rebels', 'RIC'], ['Hartford', 'Harriers', 'HAR'],
  ['Birmingham', 'Barons', 'BIR'], ['Honolulu', 'Hurricanes', 'HNL'], ['Boise', 'Bighorns', 'BOI'],
  ['Tulsa', 'Tornadoes', 'TUL'], ['Providence', 'Privateers', 'PRO'], ['El Paso', 'Express', 'ELP'],
  ['Jacksonville', 'Jetties', 'JAX'], ['New Orleans', 'Krewe', 'NOL'], ['Monterrey', 'Sultanes', 'MTY'],
] as const;

/** Places and nicknames recombined into 210 minor-league affiliates. */
export const AFFILIATE_TOWNS = [
  'Akron', 'Altoona', 'Amarillo', 'Asheville', 'Augusta', 'Bakersfield', 'Beloit', 'Billings', 'Biloxi', 'Bowie',
  'Bristol', 'Burlington', 'Casper', 'Cedar Rapids', 'Chattanooga', 'Clinton', 'Dayton', 'Durham', 'Erie', 'Eugene',
  'Everett', 'Fayetteville', 'Fort Wayne', 'Frederick', 'Fresno', 'Great Falls', 'Greensboro', 'Greenville',
  'Hagerstown', 'Helena', 'Hickory', 'Idaho Falls', 'Jackson', 'Kannapolis', 'Kingsport', 'Lake Elsinore',
  'Lancaster', 'Lansing', 'Lexington', 'Lowell', 'Lynchburg', 'Midland', 'Missoula', 'Modesto', 'Montgomery',
  'Myrtle Beach', 'Norfolk', 'Ogden', 'Peoria', 'Pensacola', 'Quad Cities', 'Reading', 'Reno', 'Rochester',
  'Round Rock', 'Salem', 'Savannah', 'Scranton', 'Spokane', 'Stockton', 'Syracuse', 'Toledo', 'Trenton',
  'Tri-City', 'Visalia', 'Wichita', 'Wilmington', 'Winston-Salem', 'Yakima', 'Zebulon',
] as const;

export const AFFILIATE_NICKNAMES = [
  'Aviators', 'Badgers', 'Bats', 'Bees', 'Blue Jays', 'Bulls', 'Canaries', 'Chiefs', 'Crawdads', 'Crushers',
  'Dragons', 'Drillers', 'Ducks', 'Emeralds', 'Flying Squirrels', 'Fox', 'Gnats', 'Grasshoppers', 'Grizzlies',
  'Hammerheads', 'Hops', 'Hornets', 'Hot Rods', 'Iguanas', 'Jackalopes', 'Kernels', 'Knights', 'Lugnuts',
  'Mammoths', 'Mariners', 'Mavericks', 'Miners', 'Monarchs', 'Mustangs', 'Nuts', 'Owls', 'Pelicans', 'Pilots',
  'Quakes', 'Rattlers', 'Raptors', 'Red Wings', 'River Dogs', 'Rumble Ponies', 'Sand Gnats', 'Sea Dogs', 'Shorebirds',
  'Sidewinders', 'Sod Poodles', 'Spikes', 'Storm', 'Suns', 'Thunder', 'Timber Rattlers', 'Tides', 'Trash Pandas',
  'Volcanoes', 'Wind Surge', 'Wood Ducks', 'Yard Goats',
] as const;
