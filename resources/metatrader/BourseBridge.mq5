//+------------------------------------------------------------------+
//| BourseBridge.mq5 - connects this MetaTrader 5 terminal to Bourse  |
//|                                                                  |
//| Bourse is the server: this EA polls it over WebRequest, runs the  |
//| commands it is handed with OrderSend, and reports the results    |
//| and the account (heartbeat). Protocol v1, see                    |
//| docs/brokers/metatrader.md.                                      |
//|                                                                  |
//| Never runs a command twice: every command id is written to a     |
//| file in the terminals' common folder (FILE_COMMON) BEFORE         |
//| OrderSend and again with its result AFTER; a command handed out  |
//| again (a lost ack, a restart) is answered from that file.        |
//|                                                                  |
//| Setup: Tools > Options > Expert Advisors > "Allow WebRequest for  |
//| listed URL", add BridgeUrl exactly as entered below.             |
//+------------------------------------------------------------------+
#property copyright "Bourse"
#property version   "1.30"
#property description "Bourse Bridge: runs Bourse's orders in this terminal and reports the account."

input string BridgeUrl      = "http://127.0.0.1:8787"; // Bourse address (as shown in Bourse)
input string BridgeToken    = "";                      // Bridge token (Bourse shows it once)
input int    PollMs         = 1000;                    // How often to ask Bourse for commands (ms)
input int    HeartbeatSec   = 5;                       // How often to report the account (s)
input ulong  MagicNumber    = 240024;                  // Magic number of the orders this EA opens
input int    SlippagePoints = 20;                      // Max deviation for market orders (points)
input int    TimeoutMs      = 5000;                    // WebRequest timeout (ms), on top of a poll's wait
input int    LongPollSec    = 20;                      // Hold each poll at Bourse up to this long for a command (s); 0 = poll every PollMs

#define EA_VERSION     "1.3.0"
#define DEAL_WINDOW    600      // seconds of deal history sent with each heartbeat
#define MAX_DEALS      50
#define MAX_SYMBOLS    500
#define MEMORY_KEEP    1000     // command ids kept in the state file
#define POLL_WAIT_MAX  25000    // ms: the longest wait Bourse accepts

string g_base = "";
bool   g_busy = false;
bool   g_blocked = false;       // WebRequest not allowed for BridgeUrl
bool   g_warnedAuth = false;
bool   g_warnedNet = false;
bool   g_symbolsSent = false;
uint   g_lastHeartbeat = 0;
bool   g_longPollRefused = false; // a Bourse from before long-poll refused waitMs
bool   g_ackOnPollRefused = false; // a Bourse before 1.2 refused results in a poll
bool   g_heartbeatOnPollRefused = false; // a Bourse before 1.3 refused a heartbeat in a poll
string g_ids[];                 // command ids this EA has started
string g_results[];             // their result JSON ("" = started, no result written)

//+------------------------------------------------------------------+
//| JSON writing                                                     |
//+------------------------------------------------------------------+
string JsonEscape(const string s)
  {
   string out = "";
   int n = StringLen(s);
   for(int i = 0; i < n; i++)
     {
      ushort c = StringGetCharacter(s, i);
      if(c == '"')
         out += "\\\"";
      else
         if(c == '\\')
            out += "\\\\";
         else
            if(c < 32)
               out += StringFormat("\\u%04x", c);
            else
               out += ShortToString(c);
     }
   return out;
  }

string Q(const string s)                  { return "\"" + JsonEscape(s) + "\""; }
string Dec(const double v, const int d)   { return "\"" + DoubleToString(v, d) + "\""; }
string DecOrNull(const double v, const int d) { return v == 0.0 ? "null" : Dec(v, d); }
string Bool(const bool b)                 { return b ? "true" : "false"; }
string Int(const long v)                  { return IntegerToString(v); }

//+------------------------------------------------------------------+
//| JSON reading: Bourse's commands are flat objects in one array    |
//+------------------------------------------------------------------+
int HexValue(const string h)
  {
   int v = 0;
   for(int i = 0; i < StringLen(h); i++)
     {
      ushort c = StringGetCharacter(h, i);
      v *= 16;
      if(c >= '0' && c <= '9')
         v += c - '0';
      else
         if(c >= 'a' && c <= 'f')
            v += c - 'a' + 10;
         else
            if(c >= 'A' && c <= 'F')
               v += c - 'A' + 10;
     }
   return v;
  }

// The objects of the array under "key", each as its JSON text.
int JsonArrayObjects(const string text, const string key, string &out[])
  {
   ArrayResize(out, 0);
   int p = StringFind(text, "\"" + key + "\":[");
   if(p < 0)
      return 0;
   p = StringFind(text, "[", p);
   int n = StringLen(text), depth = 0, start = -1;
   bool inString = false;
   for(int i = p + 1; i < n; i++)
     {
      ushort c = StringGetCharacter(text, i);
      if(inString)
        {
         if(c == '\\')
            i++;
         else
            if(c == '"')
               inString = false;
         continue;
        }
      if(c == '"')
         inString = true;
      else
         if(c == '{')
           {
            if(depth == 0)
               start = i;
            depth++;
           }
         else
            if(c == '}')
              {
               depth--;
               if(depth == 0 && start >= 0)
                 {
                  int k = ArraySize(out);
                  ArrayResize(out, k + 1);
                  out[k] = StringSubstr(text, start, i - start + 1);
                  start = -1;
                 }
              }
            else
               if(c == ']' && depth == 0)
                  break;
     }
   return ArraySize(out);
  }

// The value of "key" in a flat object: a string (unescaped) or a number as text.
// False when the key is absent or null.
bool JsonValue(const string obj, const string key, string &value)
  {
   value = "";
   string pattern = "\"" + key + "\":";
   int p = StringFind(obj, pattern);
   if(p < 0)
      return false;
   p += StringLen(pattern);
   int n = StringLen(obj);
   if(StringGetCharacter(obj, p) == '"')
     {
      for(int i = p + 1; i < n; i++)
        {
         ushort c = StringGetCharacter(obj, i);
         if(c == '"')
            return true;
         if(c == '\\')
           {
            i++;
            ushort e = StringGetCharacter(obj, i);
            if(e == 'n')
               value += "\n";
            else
               if(e == 't')
                  value += "\t";
               else
                  if(e == 'u')
                    {
                     value += ShortToString((ushort)HexValue(StringSubstr(obj, i + 1, 4)));
                     i += 4;
                    }
                  else
                     value += ShortToString(e);
            continue;
           }
         value += ShortToString(c);
        }
      return false;
     }
   int e = p;
   while(e < n)
     {
      ushort c = StringGetCharacter(obj, e);
      if(c == ',' || c == '}')
         break;
      e++;
     }
   value = StringSubstr(obj, p, e - p);
   if(value == "null")
     {
      value = "";
      return false;
     }
   return true;
  }

string Field(const string obj, const string key)
  {
   string v;
   JsonValue(obj, key, v);
   return v;
  }

//+------------------------------------------------------------------+
//| HTTP                                                             |
//+------------------------------------------------------------------+
void AllowListAlert()
  {
   if(g_blocked)
      return;
   g_blocked = true;
   Alert("BourseBridge: WebRequest is not allowed for ", g_base,
         ". Add the address '", g_base,
         "' to the list of allowed URLs: Tools > Options > Expert Advisors > 'Allow WebRequest for listed URL', then attach the EA again.");
  }

// POSTs JSON to /bridge/mt/v1/<path>; returns the HTTP status, or -1 when nothing came back.
// waitMs: how long Bourse may hold the answer (a long-poll); the timeout allows for it.
int Post(const string path, const string body, string &response, const int waitMs = 0)
  {
   char data[], result[];
   string resultHeaders;
   int len = StringToCharArray(body, data, 0, WHOLE_ARRAY, CP_UTF8);
   if(len > 0)
      ArrayResize(data, len - 1); // without the terminating zero
   // The token goes only in this header; it is never printed.
   string headers = "Content-Type: application/json\r\nAuthorization: Bearer " + BridgeToken + "\r\n";
   ResetLastError();
   int status = WebRequest("POST", g_base + "/bridge/mt/v1/" + path, headers, TimeoutMs + waitMs, data, result, resultHeaders);
   if(status == -1)
     {
      int err = GetLastError();
      if(err == 4014) // ERR_FUNCTION_NOT_ALLOWED: the URL is not in the allow-list
         AllowListAlert();
      else
         if(!g_warnedNet)
           {
            Print("BourseBridge: cannot reach ", g_base, " (error ", err, "); retrying");
            g_warnedNet = true;
           }
      return -1;
     }
   g_warnedNet = false;
   response = CharArrayToString(result, 0, WHOLE_ARRAY, CP_UTF8);
   if(status == 401 && !g_warnedAuth)
     {
      Alert("BourseBridge: Bourse refused the bridge token. Copy it again from Bourse (Accounts > MetaTrader > EA setup).");
      g_warnedAuth = true;
     }
   else
      if(status == 200)
         g_warnedAuth = false;
      else
         if(status != 401)
            Print("BourseBridge: ", path, " answered HTTP ", status, ": ", StringSubstr(response, 0, 300));
   return status;
  }

//+------------------------------------------------------------------+
//| What ran: the state file in the common folder                    |
//+------------------------------------------------------------------+
string StateFile()
  {
   return "BourseBridge-state-" + Int(AccountInfoInteger(ACCOUNT_LOGIN)) + "-" + (string)MagicNumber + ".txt";
  }

int MemoryFind(const string id)
  {
   for(int i = ArraySize(g_ids) - 1; i >= 0; i--)
      if(g_ids[i] == id)
         return i;
   return -1;
  }

void MemorySet(const string id, const string result)
  {
   int i = MemoryFind(id);
   if(i < 0)
     {
      i = ArraySize(g_ids);
      ArrayResize(g_ids, i + 1);
      ArrayResize(g_results, i + 1);
      g_ids[i] = id;
     }
   g_results[i] = result;
  }

// Appends one line and flushes it to disk before the caller goes on.
bool MemoryWrite(const string id, const string result)
  {
   MemorySet(id, result);
   int h = FileOpen(StateFile(), FILE_READ | FILE_WRITE | FILE_TXT | FILE_ANSI | FILE_COMMON);
   if(h == INVALID_HANDLE)
     {
      Print("BourseBridge: cannot write ", StateFile(), " (error ", GetLastError(), ")");
      return false;
     }
   FileSeek(h, 0, SEEK_END);
   FileWriteString(h, id + (result == "" ? "|S|" : "|D|" + result) + "\r\n");
   FileFlush(h);
   FileClose(h);
   return true;
  }

void MemoryLoad()
  {
   ArrayResize(g_ids, 0);
   ArrayResize(g_results, 0);
   int h = FileOpen(StateFile(), FILE_READ | FILE_TXT | FILE_ANSI | FILE_COMMON);
   if(h == INVALID_HANDLE)
      return;
   while(!FileIsEnding(h))
     {
      string line = FileReadString(h);
      int bar = StringFind(line, "|");
      if(bar <= 0 || StringLen(line) < bar + 3)
         continue;
      string kind = StringSubstr(line, bar + 1, 1);
      MemorySet(StringSubstr(line, 0, bar), kind == "D" ? StringSubstr(line, bar + 3) : "");
     }
   FileClose(h);
   // Keep the file short: rewrite the newest ids when it grew large.
   int n = ArraySize(g_ids);
   if(n > 2 * MEMORY_KEEP)
     {
      h = FileOpen(StateFile(), FILE_WRITE | FILE_TXT | FILE_ANSI | FILE_COMMON);
      if(h != INVALID_HANDLE)
        {
         for(int i = n - MEMORY_KEEP; i < n; i++)
            FileWriteString(h, g_ids[i] + (g_results[i] == "" ? "|S|" : "|D|" + g_results[i]) + "\r\n");
         FileClose(h);
        }
     }
  }

//+------------------------------------------------------------------+
//| Heartbeat                                                        |
//+------------------------------------------------------------------+
int VolumeDigits(const string symbol)
  {
   double step = SymbolInfoDouble(symbol, SYMBOL_VOLUME_STEP);
   for(int d = 0; d < 8; d++)
     {
      double scaled = step * MathPow(10, d);
      if(MathAbs(scaled - MathRound(scaled)) < 1e-8)
         return d;
     }
   return 8;
  }

int CurrencyDigits() { return (int)AccountInfoInteger(ACCOUNT_CURRENCY_DIGITS); }

string PositionsJson()
  {
   string out = "";
   int cd = CurrencyDigits();
   for(int i = 0; i < PositionsTotal(); i++)
     {
      ulong ticket = PositionGetTicket(i);
      if(ticket == 0)
         continue;
      string sym = PositionGetString(POSITION_SYMBOL);
      int d = (int)SymbolInfoInteger(sym, SYMBOL_DIGITS);
      bool buy = PositionGetInteger(POSITION_TYPE) == POSITION_TYPE_BUY;
      if(out != "")
         out += ",";
      out += "{\"ticket\":" + Q((string)ticket) + ",\"symbol\":" + Q(sym)
             + ",\"side\":" + Q(buy ? "buy" : "sell")
             + ",\"volume\":" + Dec(PositionGetDouble(POSITION_VOLUME), VolumeDigits(sym))
             + ",\"openPrice\":" + Dec(PositionGetDouble(POSITION_PRICE_OPEN), d)
             + ",\"sl\":" + DecOrNull(PositionGetDouble(POSITION_SL), d)
             + ",\"tp\":" + DecOrNull(PositionGetDouble(POSITION_TP), d)
             + ",\"profit\":" + Dec(PositionGetDouble(POSITION_PROFIT), cd)
             + ",\"priceCurrent\":" + Dec(PositionGetDouble(POSITION_PRICE_CURRENT), d)
             + ",\"comment\":" + Q(PositionGetString(POSITION_COMMENT))
             + ",\"magic\":" + Int(PositionGetInteger(POSITION_MAGIC))
             + ",\"openTime\":" + Int(PositionGetInteger(POSITION_TIME)) + "}";
     }
   return out;
  }

string OrdersJson()
  {
   string out = "";
   for(int i = 0; i < OrdersTotal(); i++)
     {
      ulong ticket = OrderGetTicket(i);
      if(ticket == 0)
         continue;
      ENUM_ORDER_TYPE t = (ENUM_ORDER_TYPE)OrderGetInteger(ORDER_TYPE);
      string side = "", type = "";
      switch(t)
        {
         case ORDER_TYPE_BUY_LIMIT:       side = "buy";  type = "limit";      break;
         case ORDER_TYPE_SELL_LIMIT:      side = "sell"; type = "limit";      break;
         case ORDER_TYPE_BUY_STOP:        side = "buy";  type = "stop";       break;
         case ORDER_TYPE_SELL_STOP:       side = "sell"; type = "stop";       break;
         case ORDER_TYPE_BUY_STOP_LIMIT:  side = "buy";  type = "stop_limit"; break;
         case ORDER_TYPE_SELL_STOP_LIMIT: side = "sell"; type = "stop_limit"; break;
         default: continue; // a market order in flight: it shows as a deal and a position
        }
      string sym = OrderGetString(ORDER_SYMBOL);
      int d = (int)SymbolInfoInteger(sym, SYMBOL_DIGITS);
      double open = OrderGetDouble(ORDER_PRICE_OPEN);
      // Bourse's words: `price` is the limit, `stopPrice` the trigger. On MT5 a stop-limit's
      // ORDER_PRICE_OPEN is its trigger and ORDER_PRICE_STOPLIMIT its limit.
      string price = type == "stop_limit" ? Dec(OrderGetDouble(ORDER_PRICE_STOPLIMIT), d) : Dec(open, d);
      string stopPrice = type == "stop_limit" ? Dec(open, d) : "null";
      if(out != "")
         out += ",";
      out += "{\"ticket\":" + Q((string)ticket) + ",\"symbol\":" + Q(sym)
             + ",\"side\":" + Q(side) + ",\"type\":" + Q(type)
             + ",\"volume\":" + Dec(OrderGetDouble(ORDER_VOLUME_CURRENT), VolumeDigits(sym))
             + ",\"price\":" + price + ",\"stopPrice\":" + stopPrice
             + ",\"sl\":" + DecOrNull(OrderGetDouble(ORDER_SL), d)
             + ",\"tp\":" + DecOrNull(OrderGetDouble(ORDER_TP), d)
             + ",\"comment\":" + Q(OrderGetString(ORDER_COMMENT))
             + ",\"magic\":" + Int(OrderGetInteger(ORDER_MAGIC))
             + ",\"setupTime\":" + Int(OrderGetInteger(ORDER_TIME_SETUP)) + "}";
     }
   return out;
  }

// The last deals (fills) of the recent history; Bourse drops the ones it has already seen.
string DealsJson()
  {
   string out = "";
   if(!HistorySelect(TimeCurrent() - DEAL_WINDOW, TimeCurrent() + 3600))
      return out;
   int sent = 0;
   for(int i = HistoryDealsTotal() - 1; i >= 0 && sent < MAX_DEALS; i--)
     {
      ulong ticket = HistoryDealGetTicket(i);
      if(ticket == 0)
         continue;
      long type = HistoryDealGetInteger(ticket, DEAL_TYPE);
      if(type != DEAL_TYPE_BUY && type != DEAL_TYPE_SELL)
         continue; // balance, credit, commission…
      long entry = HistoryDealGetInteger(ticket, DEAL_ENTRY);
      string e = entry == DEAL_ENTRY_IN ? "in" : (entry == DEAL_ENTRY_INOUT ? "inout" : "out");
      string sym = HistoryDealGetString(ticket, DEAL_SYMBOL);
      int d = (int)SymbolInfoInteger(sym, SYMBOL_DIGITS);
      if(out != "")
         out += ",";
      out += "{\"ticket\":" + Q((string)ticket)
             + ",\"order\":" + Q(Int(HistoryDealGetInteger(ticket, DEAL_ORDER)))
             + ",\"positionId\":" + Q(Int(HistoryDealGetInteger(ticket, DEAL_POSITION_ID)))
             + ",\"symbol\":" + Q(sym)
             + ",\"side\":" + Q(type == DEAL_TYPE_BUY ? "buy" : "sell")
             + ",\"volume\":" + Dec(HistoryDealGetDouble(ticket, DEAL_VOLUME), VolumeDigits(sym))
             + ",\"price\":" + Dec(HistoryDealGetDouble(ticket, DEAL_PRICE), d)
             + ",\"entry\":" + Q(e)
             + ",\"comment\":" + Q(HistoryDealGetString(ticket, DEAL_COMMENT))
             + ",\"time\":" + Int(HistoryDealGetInteger(ticket, DEAL_TIME)) + "}";
      sent++;
     }
   return out;
  }

string SymbolsJson()
  {
   string out = "";
   int n = SymbolsTotal(true);
   if(n > MAX_SYMBOLS)
      n = MAX_SYMBOLS;
   for(int i = 0; i < n; i++)
     {
      string sym = SymbolName(i, true);
      int d = (int)SymbolInfoInteger(sym, SYMBOL_DIGITS);
      int vd = VolumeDigits(sym);
      bool forex = SymbolInfoInteger(sym, SYMBOL_TRADE_CALC_MODE) == SYMBOL_CALC_MODE_FOREX;
      if(out != "")
         out += ",";
      out += "{\"name\":" + Q(sym) + ",\"digits\":" + Int(d)
             + ",\"tickSize\":" + Dec(SymbolInfoDouble(sym, SYMBOL_TRADE_TICK_SIZE), d)
             + ",\"tickValue\":" + DecOrNull(SymbolInfoDouble(sym, SYMBOL_TRADE_TICK_VALUE), 8)
             + ",\"volumeStep\":" + Dec(SymbolInfoDouble(sym, SYMBOL_VOLUME_STEP), vd)
             + ",\"volumeMin\":" + Dec(SymbolInfoDouble(sym, SYMBOL_VOLUME_MIN), vd)
             + ",\"contractSize\":" + DecOrNull(SymbolInfoDouble(sym, SYMBOL_TRADE_CONTRACT_SIZE), 2)
             + ",\"forex\":" + Bool(forex) + "}";
     }
   return out;
  }

string HeartbeatJson(const bool stopping)
  {
   int cd = CurrencyDigits();
   bool tradeAllowed = TerminalInfoInteger(TERMINAL_TRADE_ALLOWED) != 0 && MQLInfoInteger(MQL_TRADE_ALLOWED) != 0;
   string s = "{\"ea\":{\"version\":" + Q(EA_VERSION) + ",\"platform\":\"MT5\""
              + ",\"build\":" + Int(TerminalInfoInteger(TERMINAL_BUILD))
              + ",\"heartbeatMs\":" + Int(HeartbeatSec * 1000) + ",\"pollMs\":" + Int(PollMs) + "}";
   s += ",\"terminal\":{\"company\":" + Q(TerminalInfoString(TERMINAL_COMPANY))
        + ",\"name\":" + Q(TerminalInfoString(TERMINAL_NAME))
        + ",\"connected\":" + Bool(TerminalInfoInteger(TERMINAL_CONNECTED) != 0)
        + ",\"tradeAllowed\":" + Bool(tradeAllowed)
        + ",\"gmtTime\":" + Int((long)TimeGMT()) + "}";
   s += ",\"account\":{\"login\":" + Q(Int(AccountInfoInteger(ACCOUNT_LOGIN)))
        + ",\"name\":" + Q(AccountInfoString(ACCOUNT_NAME))
        + ",\"server\":" + Q(AccountInfoString(ACCOUNT_SERVER))
        + ",\"currency\":" + Q(AccountInfoString(ACCOUNT_CURRENCY))
        + ",\"leverage\":" + Int(AccountInfoInteger(ACCOUNT_LEVERAGE))
        + ",\"demo\":" + Bool(AccountInfoInteger(ACCOUNT_TRADE_MODE) == ACCOUNT_TRADE_MODE_DEMO)
        + ",\"tradeAllowed\":" + Bool(AccountInfoInteger(ACCOUNT_TRADE_ALLOWED) != 0)
        + ",\"balance\":" + Dec(AccountInfoDouble(ACCOUNT_BALANCE), cd)
        + ",\"equity\":" + Dec(AccountInfoDouble(ACCOUNT_EQUITY), cd)
        + ",\"margin\":" + Dec(AccountInfoDouble(ACCOUNT_MARGIN), cd)
        + ",\"freeMargin\":" + Dec(AccountInfoDouble(ACCOUNT_MARGIN_FREE), cd) + "}";
   s += ",\"positions\":[" + PositionsJson() + "]";
   s += ",\"orders\":[" + OrdersJson() + "]";
   s += ",\"deals\":[" + DealsJson() + "]";
   if(!g_symbolsSent)
      s += ",\"symbols\":[" + SymbolsJson() + "]";
   if(stopping)
      s += ",\"state\":\"stopping\"";
   return s + "}";
  }

int SendHeartbeat(const bool stopping)
  {
   string response;
   g_lastHeartbeat = GetTickCount();
   int status = Post("heartbeat", HeartbeatJson(stopping), response);
   if(status == 200)
      g_symbolsSent = true;
   return status;
  }

//+------------------------------------------------------------------+
//| Results                                                          |
//+------------------------------------------------------------------+
string Result(const bool ok, const long retcode, const string message, const string bridgeError,
              const string ticket, const string status, const string volume,
              const string filledVolume, const string price, const int count)
  {
   string s = "{\"ok\":" + Bool(ok) + ",\"retcode\":" + Int(retcode)
              + ",\"message\":" + Q(StringSubstr(message, 0, 200));
   if(bridgeError != "")
      s += ",\"bridgeError\":" + Q(bridgeError);
   if(ticket != "" && ticket != "0")
      s += ",\"ticket\":" + Q(ticket);
   if(status != "")
      s += ",\"status\":" + Q(status);
   if(volume != "")
      s += ",\"volume\":" + Q(volume);
   if(filledVolume != "")
      s += ",\"filledVolume\":" + Q(filledVolume);
   if(price != "")
      s += ",\"price\":" + Q(price);
   if(count >= 0)
      s += ",\"count\":" + Int(count);
   return s + ",\"executedAt\":" + Int((long)TimeGMT()) + "}";
  }

string Fail(const long retcode, const string message, const string bridgeError)
  {
   return Result(false, retcode, message, bridgeError, "", "", "", "", "", -1);
  }

// MT5 accepts these filling modes per symbol; market orders use the first it allows.
ENUM_ORDER_TYPE_FILLING Filling(const string symbol)
  {
   long modes = SymbolInfoInteger(symbol, SYMBOL_FILLING_MODE);
   if((modes & SYMBOL_FILLING_FOK) == SYMBOL_FILLING_FOK)
      return ORDER_FILLING_FOK;
   if((modes & SYMBOL_FILLING_IOC) == SYMBOL_FILLING_IOC)
      return ORDER_FILLING_IOC;
   return ORDER_FILLING_RETURN;
  }

bool Succeeded(const uint rc)
  {
   return rc == TRADE_RETCODE_DONE || rc == TRADE_RETCODE_PLACED || rc == TRADE_RETCODE_DONE_PARTIAL;
  }

// OrderSend with the result's retcode; a request the terminal refused before sending has
// retcode 0: its GetLastError() number is reported instead.
string SendFailure(const MqlTradeResult &res)
  {
   if(res.retcode != 0)
      return Fail(res.retcode, res.comment, "");
   int err = GetLastError();
   return Fail(err, "OrderSend failed in the terminal (error " + Int(err) + ")", "");
  }

double Num(const string text) { return text == "" ? 0.0 : StringToDouble(text); }

//+------------------------------------------------------------------+
//| Commands                                                         |
//+------------------------------------------------------------------+
string ExecOpen(const string cmd)
  {
   string symbol = Field(cmd, "symbol"), side = Field(cmd, "side"), type = Field(cmd, "type");
   if(!SymbolSelect(symbol, true))
      return Fail(TRADE_RETCODE_INVALID, "unknown symbol " + symbol, "unknown_symbol");
   int d = (int)SymbolInfoInteger(symbol, SYMBOL_DIGITS);
   bool buy = side == "buy";
   MqlTradeRequest req;
   MqlTradeResult res;
   ZeroMemory(req);
   ZeroMemory(res);
   req.symbol = symbol;
   req.volume = Num(Field(cmd, "volume"));
   req.magic = MagicNumber;
   req.comment = Field(cmd, "comment");
   req.deviation = (ulong)SlippagePoints;
   req.sl = NormalizeDouble(Num(Field(cmd, "sl")), d);
   req.tp = NormalizeDouble(Num(Field(cmd, "tp")), d);
   if(type == "market")
     {
      req.action = TRADE_ACTION_DEAL;
      req.type = buy ? ORDER_TYPE_BUY : ORDER_TYPE_SELL;
      req.price = SymbolInfoDouble(symbol, buy ? SYMBOL_ASK : SYMBOL_BID);
      req.type_filling = Filling(symbol);
     }
   else
     {
      req.action = TRADE_ACTION_PENDING;
      req.type_time = ORDER_TIME_GTC;
      req.type_filling = ORDER_FILLING_RETURN;
      if(type == "limit")
        {
         req.type = buy ? ORDER_TYPE_BUY_LIMIT : ORDER_TYPE_SELL_LIMIT;
         req.price = NormalizeDouble(Num(Field(cmd, "price")), d);
        }
      else
         if(type == "stop")
           {
            req.type = buy ? ORDER_TYPE_BUY_STOP : ORDER_TYPE_SELL_STOP;
            req.price = NormalizeDouble(Num(Field(cmd, "stopPrice")), d);
           }
         else
            if(type == "stop_limit")
              {
               req.type = buy ? ORDER_TYPE_BUY_STOP_LIMIT : ORDER_TYPE_SELL_STOP_LIMIT;
               req.price = NormalizeDouble(Num(Field(cmd, "stopPrice")), d);   // trigger
               req.stoplimit = NormalizeDouble(Num(Field(cmd, "price")), d);   // limit
              }
            else
               return Fail(TRADE_RETCODE_INVALID, "unknown order type " + type, "bad_command");
     }
   ResetLastError();
   if(!OrderSend(req, res) || !Succeeded(res.retcode))
      return SendFailure(res);
   if(type != "market")
      return Result(true, res.retcode, res.comment, "", (string)res.order, "open",
                    Field(cmd, "volume"), "", "", -1);
   int vd = VolumeDigits(symbol);
   return Result(true, res.retcode, res.comment, "", (string)res.order,
                 res.retcode == TRADE_RETCODE_DONE_PARTIAL ? "partially_filled" : "filled",
                 Field(cmd, "volume"), DoubleToString(res.volume, vd), DoubleToString(res.price, d), -1);
  }

string ExecCancel(const string cmd)
  {
   ulong ticket = (ulong)StringToInteger(Field(cmd, "ticket"));
   if(!OrderSelect(ticket))
      return Fail(TRADE_RETCODE_INVALID_ORDER, "no pending order " + (string)ticket, "unknown_ticket");
   MqlTradeRequest req;
   MqlTradeResult res;
   ZeroMemory(req);
   ZeroMemory(res);
   req.action = TRADE_ACTION_REMOVE;
   req.order = ticket;
   ResetLastError();
   if(!OrderSend(req, res) || !Succeeded(res.retcode))
      return SendFailure(res);
   return Result(true, res.retcode, res.comment, "", (string)ticket, "cancelled", "", "", "", -1);
  }

string ExecAmend(const string cmd)
  {
   ulong ticket = (ulong)StringToInteger(Field(cmd, "ticket"));
   if(!OrderSelect(ticket))
      return Fail(TRADE_RETCODE_INVALID_ORDER, "no pending order " + (string)ticket, "unknown_ticket");
   string sym = OrderGetString(ORDER_SYMBOL);
   int d = (int)SymbolInfoInteger(sym, SYMBOL_DIGITS);
   ENUM_ORDER_TYPE t = (ENUM_ORDER_TYPE)OrderGetInteger(ORDER_TYPE);
   bool stopLimit = t == ORDER_TYPE_BUY_STOP_LIMIT || t == ORDER_TYPE_SELL_STOP_LIMIT;
   bool stop = t == ORDER_TYPE_BUY_STOP || t == ORDER_TYPE_SELL_STOP;
   MqlTradeRequest req;
   MqlTradeResult res;
   ZeroMemory(req);
   ZeroMemory(res);
   req.action = TRADE_ACTION_MODIFY;
   req.order = ticket;
   req.symbol = sym;
   req.price = OrderGetDouble(ORDER_PRICE_OPEN);
   req.stoplimit = OrderGetDouble(ORDER_PRICE_STOPLIMIT);
   req.sl = OrderGetDouble(ORDER_SL);
   req.tp = OrderGetDouble(ORDER_TP);
   req.type_time = (ENUM_ORDER_TYPE_TIME)OrderGetInteger(ORDER_TYPE_TIME);
   req.expiration = (datetime)OrderGetInteger(ORDER_TIME_EXPIRATION);
   string price = Field(cmd, "price"), stopPrice = Field(cmd, "stopPrice");
   if(stopLimit)
     {
      if(stopPrice != "")
         req.price = NormalizeDouble(Num(stopPrice), d);
      if(price != "")
         req.stoplimit = NormalizeDouble(Num(price), d);
     }
   else
      if(stop)
        {
         if(stopPrice != "")
            req.price = NormalizeDouble(Num(stopPrice), d);
        }
      else
         if(price != "")
            req.price = NormalizeDouble(Num(price), d);
   ResetLastError();
   if(!OrderSend(req, res) || !Succeeded(res.retcode))
      return SendFailure(res);
   return Result(true, res.retcode, res.comment, "", (string)ticket, "open", "", "", "", -1);
  }

// Closes positions on a symbol, oldest first, until `volume` (all when absent) is closed.
string ExecClose(const string cmd)
  {
   string symbol = Field(cmd, "symbol");
   string volumeText = Field(cmd, "volume");
   double left = Num(volumeText);
   bool all = volumeText == "";
   int d = (int)SymbolInfoInteger(symbol, SYMBOL_DIGITS);
   int vd = VolumeDigits(symbol);
   double step = SymbolInfoDouble(symbol, SYMBOL_VOLUME_STEP);
   double closed = 0, lastPrice = 0;
   ulong lastOrder = 0;
   uint lastCode = 0;
   for(int i = 0; i < PositionsTotal(); i++)
     {
      ulong ticket = PositionGetTicket(i);
      if(ticket == 0 || PositionGetString(POSITION_SYMBOL) != symbol)
         continue;
      if(!all && left < step / 2)
         break;
      double vol = PositionGetDouble(POSITION_VOLUME);
      double take = all ? vol : MathMin(vol, left);
      bool buy = PositionGetInteger(POSITION_TYPE) == POSITION_TYPE_BUY;
      MqlTradeRequest req;
      MqlTradeResult res;
      ZeroMemory(req);
      ZeroMemory(res);
      req.action = TRADE_ACTION_DEAL;
      req.position = ticket;
      req.symbol = symbol;
      req.volume = NormalizeDouble(take, vd);
      req.type = buy ? ORDER_TYPE_SELL : ORDER_TYPE_BUY;
      req.price = SymbolInfoDouble(symbol, buy ? SYMBOL_BID : SYMBOL_ASK);
      req.deviation = (ulong)SlippagePoints;
      req.type_filling = Filling(symbol);
      req.magic = MagicNumber;
      ResetLastError();
      if(!OrderSend(req, res) || !Succeeded(res.retcode))
        {
         if(closed > 0)
            return Fail(res.retcode, "closed " + DoubleToString(closed, vd) + " then: " + res.comment, "");
         return SendFailure(res);
        }
      closed += res.volume;
      left -= res.volume;
      lastPrice = res.price;
      lastOrder = res.order;
      lastCode = res.retcode;
      if(res.volume < take)
         break; // partly closed: report what was
      i--; // the closed position left the list: stay on this index
     }
   if(closed == 0)
      return Fail(TRADE_RETCODE_POSITION_CLOSED, "no position on " + symbol, "unknown_ticket");
   return Result(true, lastCode, "closed", "", (string)lastOrder, "filled",
                 all ? DoubleToString(closed, vd) : volumeText, DoubleToString(closed, vd),
                 DoubleToString(lastPrice, d), -1);
  }

string ExecCancelAll(const string cmd)
  {
   string symbol = Field(cmd, "symbol");
   int count = 0, failed = 0;
   for(int i = OrdersTotal() - 1; i >= 0; i--)
     {
      ulong ticket = OrderGetTicket(i);
      if(ticket == 0 || (symbol != "" && OrderGetString(ORDER_SYMBOL) != symbol))
         continue;
      ENUM_ORDER_TYPE t = (ENUM_ORDER_TYPE)OrderGetInteger(ORDER_TYPE);
      if(t == ORDER_TYPE_BUY || t == ORDER_TYPE_SELL)
         continue;
      MqlTradeRequest req;
      MqlTradeResult res;
      ZeroMemory(req);
      ZeroMemory(res);
      req.action = TRADE_ACTION_REMOVE;
      req.order = ticket;
      if(OrderSend(req, res) && Succeeded(res.retcode))
         count++;
      else
         failed++;
     }
   string message = failed == 0 ? "done" : Int(failed) + " orders could not be removed";
   return Result(failed == 0, failed == 0 ? TRADE_RETCODE_DONE : TRADE_RETCODE_ERROR, message, "", "", "", "", "", "", count);
  }

string Execute(const string cmd)
  {
   string action = Field(cmd, "action");
   if(action == "open")
      return ExecOpen(cmd);
   if(action == "cancel")
      return ExecCancel(cmd);
   if(action == "amend")
      return ExecAmend(cmd);
   if(action == "close")
      return ExecClose(cmd);
   if(action == "cancel_all")
      return ExecCancelAll(cmd);
   return Fail(0, "unknown action " + action, "bad_command");
  }

// The EA died between starting a command and writing its result: find what it made by the
// order comment; if nothing shows, the outcome is unknown (Bourse resolves it by client id).
string Recover(const string cmd)
  {
   if(Field(cmd, "action") == "open")
     {
      string comment = Field(cmd, "comment");
      for(int i = 0; i < OrdersTotal(); i++)
        {
         ulong t = OrderGetTicket(i);
         if(t != 0 && OrderGetString(ORDER_COMMENT) == comment)
            return Result(true, TRADE_RETCODE_DONE, "recovered after an EA restart", "", (string)t, "open", "", "", "", -1);
        }
      for(int i = 0; i < PositionsTotal(); i++)
        {
         ulong t = PositionGetTicket(i);
         if(t != 0 && PositionGetString(POSITION_COMMENT) == comment)
            return Result(true, TRADE_RETCODE_DONE, "recovered after an EA restart", "",
                          Int(PositionGetInteger(POSITION_IDENTIFIER)), "filled", "", "", "", -1);
        }
     }
   return Fail(TRADE_RETCODE_TIMEOUT, "the EA restarted during this command; its outcome is unknown", "");
  }

//+------------------------------------------------------------------+
//| Poll, run once, acknowledge                                      |
//+------------------------------------------------------------------+
// How long Bourse may hold the next poll: LongPollSec, capped at the time left to the next
// heartbeat, because WebRequest blocks the EA while it waits and heartbeats must stay on time.
int PollWaitMs()
  {
   if(LongPollSec <= 0 || g_longPollRefused)
      return 0;
   int wait = LongPollSec * 1000;
   if(wait > POLL_WAIT_MAX)
      wait = POLL_WAIT_MAX;
   int left = HeartbeatSec * 1000 - (int)(GetTickCount() - g_lastHeartbeat);
   if(left < wait)
      wait = left;
   return wait < 0 ? 0 : wait;
  }

bool LongPolling() { return LongPollSec > 0 && !g_longPollRefused; }

// Runs each command of a poll's answer at most once and writes their results as JSON items
// into `results`. False when a command cannot be recorded before OrderSend (then nothing is
// run after it, and what ran is re-reported from memory when Bourse hands it out again).
bool RunCommands(const string response, string &results)
  {
   long serverTime = StringToInteger(Field(response, "serverTime"));
   string commands[];
   int n = JsonArrayObjects(response, "commands", commands);
   results = "";
   for(int i = 0; i < n; i++)
     {
      string id = Field(commands[i], "id");
      if(id == "")
         continue;
      int known = MemoryFind(id);
      string result;
      if(known >= 0 && g_results[known] != "")
         result = g_results[known];                  // ran before: report the same result
      else
        {
         if(known >= 0)
            result = Recover(commands[i]);           // started before a restart
         else
            if(StringToInteger(Field(commands[i], "expiresAt")) < serverTime)
               result = Fail(0, "expired before the EA ran it", "expired");
            else
              {
               if(!MemoryWrite(id, ""))               // no record, no OrderSend
                  return false;
               result = Execute(commands[i]);
              }
         MemoryWrite(id, result);
        }
      if(results != "")
         results += ",";
      results += "{\"id\":" + Q(id) + ",\"result\":" + result + "}";
     }
   return results != "";
  }

// One poll; runs what it was handed. EA 1.3: the results go in with the next poll together
// with the heartbeat that shows what they did, and that poll is held like any long-poll, so a
// burst costs one round trip and the EA is waiting at Bourse again as soon as it reported. A
// Bourse before 1.3 refuses a heartbeat in a poll (400): the same results go again without it
// (answered at once, as EA 1.2 does) and a heartbeat follows the burst; a Bourse before 1.2
// refuses results in a poll too: then they go to /ack. True when the next poll may go out at
// once (long-poll). False after a failed poll, or an empty answer that came well before its
// wait (another EA polls with this token, or Bourse is closing): the timer paces it.
bool PollAndRun()
  {
   string response;
   int wait = PollWaitMs();
   uint started = GetTickCount();
   int status = Post("poll", wait > 0 ? "{\"waitMs\":" + Int(wait) + "}" : "{}", response, wait);
   if(status == 400 && wait > 0)
     {
      // A Bourse from before long-poll refuses the waitMs field: poll the way it expects.
      g_longPollRefused = true;
      Print("BourseBridge: this Bourse does not hold polls; polling every ", PollMs, " ms");
      return false;
     }
   if(status != 200)
      return false;
   string probe[];
   if(JsonArrayObjects(response, "commands", probe) == 0)
      return LongPolling() && (int)(GetTickCount() - started) >= wait / 2;
   string results;
   bool reported = false; // the last poll carried the heartbeat
   while(!IsStopped())
     {
      if(!RunCommands(response, results))
         return false;
      reported = false;
      string items = "\"results\":[" + results + "]";
      if(g_ackOnPollRefused)
        {
         Post("ack", "{" + items + "}", response);
         break;
        }
      if(!g_heartbeatOnPollRefused)
        {
         g_lastHeartbeat = GetTickCount();
         wait = PollWaitMs();
         string body = "{" + items + ",\"heartbeat\":" + HeartbeatJson(false);
         if(wait > 0)
            body += ",\"waitMs\":" + Int(wait);
         started = GetTickCount();
         status = Post("poll", body + "}", response, wait);
         if(status == 200)
           {
            g_symbolsSent = true;
            reported = true;
            if(JsonArrayObjects(response, "commands", probe) == 0)
               return LongPolling() && (int)(GetTickCount() - started) >= wait / 2;
            continue;
           }
         if(status != 400)
            break; // not acknowledged: Bourse hands them out again, and they are re-reported
         g_heartbeatOnPollRefused = true;
         Print("BourseBridge: this Bourse takes heartbeats apart");
        }
      status = Post("poll", "{" + items + "}", response, 0);
      if(status == 400)
        {
         g_ackOnPollRefused = true;
         Print("BourseBridge: this Bourse takes results on /ack only");
         Post("ack", "{" + items + "}", response);
         break;
        }
      if(status != 200 || JsonArrayObjects(response, "commands", probe) == 0)
         break;
     }
   if(!reported)
      SendHeartbeat(false); // the account changed: tell Bourse now
   return LongPolling();
  }

//+------------------------------------------------------------------+
//| Expert lifecycle                                                 |
//+------------------------------------------------------------------+
int OnInit()
  {
   if(BridgeToken == "")
     {
      Alert("BourseBridge: set the BridgeToken input (Bourse shows it in Accounts > MetaTrader > EA setup).");
      return INIT_PARAMETERS_INCORRECT;
     }
   if(MQLInfoInteger(MQL_TESTER))
     {
      Alert("BourseBridge: WebRequest does not run in the Strategy Tester; attach the EA to a chart.");
      return INIT_FAILED;
     }
   g_base = BridgeUrl;
   while(StringLen(g_base) > 0 && StringSubstr(g_base, StringLen(g_base) - 1) == "/")
      g_base = StringSubstr(g_base, 0, StringLen(g_base) - 1);
   MemoryLoad();
   SendHeartbeat(false);
   if(g_blocked)
      return INIT_FAILED; // the allow-list alert says what to do
   EventSetMillisecondTimer(PollMs < 100 ? 100 : PollMs);
   if(LongPollSec > 0)
      Print("BourseBridge ", EA_VERSION, ": long-polling ", g_base, " (each poll held up to ", LongPollSec, " s)");
   else
      Print("BourseBridge ", EA_VERSION, ": polling ", g_base, " every ", PollMs, " ms");
   return INIT_SUCCEEDED;
  }

void OnDeinit(const int reason)
  {
   EventKillTimer();
   if(!g_blocked && g_base != "")
      SendHeartbeat(true); // goodbye: Bourse shows the EA offline at once
  }

// With long-poll, one timer event keeps a poll waiting at Bourse nearly all the time, so a
// command reaches the EA as soon as Bourse queues it. It goes back to the timer after a failed
// or refused poll, and stops when the EA is being removed (IsStopped). Without, one pass.
void OnTimer()
  {
   if(g_busy)
      return;
   g_busy = true;
   bool again = true;
   while(again && !IsStopped())
     {
      if(GetTickCount() - g_lastHeartbeat >= (uint)(HeartbeatSec * 1000))
         SendHeartbeat(false);
      again = PollAndRun();
     }
   g_busy = false;
  }
//+------------------------------------------------------------------+
